package io.leadflow.schemas.registry;

import org.apache.avro.Schema;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Confluent Schema Registry REST API v1 over the JDK HTTP client: content type
 * {@code application/vnd.schemaregistry.v1+json}, request timeouts, bounded retries with jittered
 * back-off on transport errors and 5xx, optional basic auth, and fail-over across several base URLs.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> baseUrls;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final int maxAttempts;
    private final Optional<String> authorization;

    public RestSchemaRegistryClient(List<String> baseUrls, Optional<String> basicAuthUserInfo, Duration requestTimeout, int maxAttempts) {
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("schema.registry.url must name at least one URL");
        }
        this.baseUrls = baseUrls.stream().map(u -> URI.create(u.endsWith("/") ? u : u + "/")).toList();
        this.requestTimeout = requestTimeout;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.authorization = basicAuthUserInfo.filter(s -> !s.isBlank())
                .map(s -> "Basic " + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
        this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
    }

    @Override
    public int register(String subject, Schema schema) {
        return send("POST", "subjects/" + encode(subject) + "/versions", schemaBody(schema)).get("id").asInt();
    }

    @Override
    public int getId(String subject, Schema schema) {
        return send("POST", "subjects/" + encode(subject), schemaBody(schema)).get("id").asInt();
    }

    @Override
    public Schema getById(int id) {
        return new Schema.Parser().parse(send("GET", "schemas/ids/" + id, null).get("schema").asString());
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        JsonNode node = send("GET", "subjects/" + encode(subject) + "/versions/latest", null);
        return new RegisteredSchema(node.get("subject").asString(), node.get("version").asInt(), node.get("id").asInt(),
                new Schema.Parser().parse(node.get("schema").asString()));
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        try {
            return send("POST", "compatibility/subjects/" + encode(subject) + "/versions/latest", schemaBody(schema))
                    .get("is_compatible").asBoolean();
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND || e.errorCode() == SchemaRegistryException.VERSION_NOT_FOUND) {
                return true;
            }
            throw e;
        }
    }

    private static String schemaBody(Schema schema) {
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema.toString());
        return body.toString();
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, String body) {
        SchemaRegistryException last = null;
        for (int attempt = 0; attempt < maxAttempts; attempt++) {
            URI base = baseUrls.get(attempt % baseUrls.size());
            try {
                HttpResponse<String> response = http.send(request(base.resolve(path), method, body), HttpResponse.BodyHandlers.ofString());
                JsonNode json = parse(response.body());
                if (response.statusCode() / 100 == 2 && json != null) {
                    return json;
                }
                if (json == null) {
                    json = JSON.createObjectNode().put("message", "HTTP " + response.statusCode() + " from " + base + " with a body that is not JSON");
                }
                last = new SchemaRegistryException(response.statusCode(), json.path("error_code").asInt(response.statusCode()),
                        json.path("message").asString("HTTP " + response.statusCode() + " from " + base));
                if (!last.isRetryable()) {
                    throw last;
                }
            } catch (IOException e) {
                last = new SchemaRegistryException("Schema registry at " + base + " did not answer " + method + " /" + path + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("Interrupted calling the schema registry", e);
            }
            backOff(attempt);
        }
        throw last;
    }

    /** The body as JSON: an empty body is an empty object, a body that is not JSON is null. */
    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            return null;
        }
    }

    private HttpRequest request(URI uri, String method, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .header("Accept", CONTENT_TYPE + ", application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", CONTENT_TYPE);
        }
        authorization.ifPresent(a -> builder.header("Authorization", a));
        return builder.build();
    }

    private void backOff(int attempt) {
        if (attempt + 1 >= maxAttempts) {
            return;
        }
        long millis = Math.min(2_000, 100L << attempt) + ThreadLocalRandom.current().nextLong(50);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
