package io.leadflow.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.leadflow.schemas.registry.CompatibilityLevel;
import io.leadflow.schemas.registry.SchemaRegistryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Confluent Schema Registry REST API v1 (the Avro subset) over the JDK HTTP server. Answers
 * {@code application/vnd.schemaregistry.v1+json} (or {@code application/json} when that is all the client
 * accepts); takes request bodies as {@code application/vnd.schemaregistry.v1+json},
 * {@code application/vnd.schemaregistry+json}, {@code application/json} or {@code application/octet-stream}.
 * Errors are {@code {"error_code":...,"message":...}} with Confluent's statuses.
 */
final class HttpApi implements HttpHandler {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    private static final ObjectMapper JSON = StoreRecords.JSON;
    private static final Set<String> ACCEPTED_BODIES = Set.of(CONTENT_TYPE, "application/vnd.schemaregistry+json",
            "application/json", "application/octet-stream");
    private static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

    private final Registry registry;

    HttpApi(Registry registry) {
        this.registry = registry;
    }

    /** A request as the routes see it: method, decoded path segments, query parameters and the body. */
    private record Call(String method, List<String> path, Map<String, String> query, HttpExchange exchange) {

        String param(int index) {
            return path.get(index);
        }

        boolean flag(String name) {
            return Boolean.parseBoolean(query.getOrDefault(name, "false"));
        }

        boolean is(String method, String... pattern) {
            if (pattern.length != path.size()) {
                return false;
            }
            for (int i = 0; i < pattern.length; i++) {
                if (!pattern[i].equals("*") && !pattern[i].equals(path.get(i))) {
                    return false;
                }
            }
            return method == null || method.equals(this.method);
        }

        JsonNode body() {
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (type != null) {
                String bare = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
                if (!bare.isEmpty() && !ACCEPTED_BODIES.contains(bare)) {
                    throw new RegistryError(415, 415, "HTTP 415 Unsupported Media Type: send " + CONTENT_TYPE);
                }
            }
            try (InputStream in = exchange.getRequestBody()) {
                byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
                if (bytes.length > MAX_BODY_BYTES) {
                    throw new RegistryError(413, 413, "Request body larger than " + MAX_BODY_BYTES + " bytes");
                }
                if (bytes.length == 0) {
                    return JSON.nullNode();
                }
                return JSON.readTree(bytes);
            } catch (JacksonException e) {
                throw new RegistryError(400, 400, "Malformed JSON body: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw new RegistryError(400, 400, "Cannot read the request body: " + e.getMessage());
            }
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            Object answer;
            int status = 200;
            try {
                answer = route(new Call(exchange.getRequestMethod().toUpperCase(Locale.ROOT), segments(exchange.getRequestURI().getRawPath()),
                        query(exchange.getRequestURI().getRawQuery()), exchange));
            } catch (RegistryError e) {
                status = e.status();
                ObjectNode error = JSON.createObjectNode();
                error.put("error_code", e.errorCode());
                error.put("message", e.getMessage());
                answer = error;
                if (e.status() >= 500) {
                    log.warn("{} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.getMessage(), e.getCause());
                }
            } catch (RuntimeException e) {
                log.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                status = 500;
                ObjectNode error = JSON.createObjectNode();
                error.put("error_code", 500);
                error.put("message", "Internal server error: " + e);
                answer = error;
            }
            byte[] body = answer instanceof RawJson raw ? raw.text().getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", responseType(exchange.getRequestHeaders().getFirst("Accept")));
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } finally {
            exchange.close();
        }
    }

    /** A body that already is JSON text (the raw schema of {@code /schema} endpoints). */
    private record RawJson(String text) {
    }

    private Object route(Call call) {
        // /schemas/...
        if (call.is(null, "schemas", "types")) {
            return only(call, "GET", List.of("AVRO"));
        }
        if (call.is(null, "schemas", "ids", "*")) {
            return only(call, "GET", schemaById(call));
        }
        if (call.is(null, "schemas", "ids", "*", "schema")) {
            return only(call, "GET", new RawJson(registry.byId(id(call.param(2))).schema()));
        }
        if (call.is(null, "schemas", "ids", "*", "versions")) {
            ArrayNode uses = JSON.createArrayNode();
            if (!call.method().equals("GET")) {
                throw methodNotAllowed();
            }
            for (StoredSchema s : registry.usesOfId(id(call.param(2)), call.flag("deleted"))) {
                uses.addObject().put("subject", s.subject()).put("version", s.version());
            }
            return uses;
        }
        if (call.is(null, "schemas", "ids", "*", "subjects")) {
            if (!call.method().equals("GET")) {
                throw methodNotAllowed();
            }
            return registry.usesOfId(id(call.param(2)), call.flag("deleted")).stream().map(StoredSchema::subject).distinct().sorted().toList();
        }
        // /subjects/...
        if (call.is(null, "subjects")) {
            return only(call, "GET", registry.subjects(call.flag("deleted"), call.query().get("subjectPrefix")));
        }
        if (call.is("POST", "subjects", "*")) {
            StoredSchema found = registry.lookup(call.param(1), SchemaRequest.from(call.body()), call.flag("deleted"), call.flag("normalize"));
            return schemaView(found);
        }
        if (call.is("DELETE", "subjects", "*")) {
            return registry.deleteSubject(call.param(1), call.flag("permanent"));
        }
        if (call.is(null, "subjects", "*")) {
            throw methodNotAllowed();
        }
        if (call.is("GET", "subjects", "*", "versions")) {
            return registry.versions(call.param(1), call.flag("deleted"));
        }
        if (call.is("POST", "subjects", "*", "versions")) {
            int id = registry.register(call.param(1), SchemaRequest.from(call.body()), call.flag("normalize"));
            return JSON.createObjectNode().put("id", id);
        }
        if (call.is(null, "subjects", "*", "versions")) {
            throw methodNotAllowed();
        }
        if (call.is("GET", "subjects", "*", "versions", "*")) {
            return schemaView(registry.version(call.param(1), call.param(3), call.flag("deleted")));
        }
        if (call.is("DELETE", "subjects", "*", "versions", "*")) {
            return registry.deleteVersion(call.param(1), call.param(3), call.flag("permanent"));
        }
        if (call.is(null, "subjects", "*", "versions", "*")) {
            throw methodNotAllowed();
        }
        if (call.is(null, "subjects", "*", "versions", "*", "schema")) {
            return only(call, "GET", new RawJson(registry.version(call.param(1), call.param(3), call.flag("deleted")).schema()));
        }
        // /config
        if (call.is(null, "config")) {
            return switch (call.method()) {
                case "GET" -> level("compatibilityLevel", registry.globalLevel());
                case "PUT" -> {
                    CompatibilityLevel level = requestedLevel(call.body());
                    registry.setLevel(null, level);
                    yield level("compatibility", level);
                }
                case "DELETE" -> level("compatibilityLevel", registry.deleteGlobalLevel());
                default -> throw methodNotAllowed();
            };
        }
        if (call.is(null, "config", "*")) {
            String subject = call.param(1);
            return switch (call.method()) {
                case "GET" -> level("compatibilityLevel", registry.subjectLevel(subject, call.flag("defaultToGlobal")));
                case "PUT" -> {
                    CompatibilityLevel level = requestedLevel(call.body());
                    Registry.validateSubject(subject);
                    registry.setLevel(subject, level);
                    yield level("compatibility", level);
                }
                case "DELETE" -> level("compatibilityLevel", registry.deleteSubjectLevel(subject));
                default -> throw methodNotAllowed();
            };
        }
        // /compatibility
        if (call.is(null, "compatibility", "subjects", "*", "versions", "*")) {
            return compatibility(call, call.param(4));
        }
        if (call.is(null, "compatibility", "subjects", "*", "versions")) {
            return compatibility(call, null);
        }
        // /mode (always read-write) and the root
        if (call.is(null, "mode")) {
            return only(call, "GET", JSON.createObjectNode().put("mode", "READWRITE"));
        }
        if (call.path().isEmpty()) {
            return only(call, "GET", JSON.createObjectNode());
        }
        throw new RegistryError(404, 404, "HTTP 404 Not Found");
    }

    private Object compatibility(Call call, String version) {
        if (!call.method().equals("POST")) {
            throw methodNotAllowed();
        }
        boolean verbose = call.flag("verbose");
        List<String> problems;
        try {
            problems = registry.checkCompatibility(call.param(2), version, SchemaRequest.from(call.body()));
        } catch (RegistryError e) {
            if (!verbose || e.errorCode() != SchemaRegistryException.INVALID_SCHEMA) {
                throw e;
            }
            // Confluent answers an invalid schema in verbose mode as incompatible, with the reason.
            problems = List.of(e.getMessage());
        }
        ObjectNode answer = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
        if (verbose) {
            ArrayNode messages = answer.putArray("messages");
            problems.forEach(messages::add);
        }
        return answer;
    }

    private ObjectNode schemaById(Call call) {
        StoredSchema schema = registry.byId(id(call.param(2)));
        ObjectNode answer = JSON.createObjectNode();
        if (!schema.isAvro()) {
            answer.put("schemaType", schema.schemaType());
        }
        answer.put("schema", schema.schema());
        return answer;
    }

    private static ObjectNode schemaView(StoredSchema s) {
        ObjectNode view = JSON.createObjectNode();
        view.put("subject", s.subject());
        view.put("version", s.version());
        view.put("id", s.id());
        if (!s.isAvro()) {
            view.put("schemaType", s.schemaType());
        }
        view.put("schema", s.schema());
        return view;
    }

    private static CompatibilityLevel requestedLevel(JsonNode body) {
        JsonNode level = body == null ? null : body.get("compatibility");
        return Registry.parseLevel(level == null || level.isNull() ? null : level.asString(null));
    }

    private static ObjectNode level(String field, CompatibilityLevel level) {
        return JSON.createObjectNode().put(field, level.name());
    }

    private static int id(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw RegistryError.schemaNotFound("Schema " + text + " not found");
        }
    }

    private static Object only(Call call, String method, Object answer) {
        if (!call.method().equals(method)) {
            throw methodNotAllowed();
        }
        return answer;
    }

    private static RegistryError methodNotAllowed() {
        return new RegistryError(405, 405, "HTTP 405 Method Not Allowed");
    }

    private static String responseType(String accept) {
        if (accept == null || accept.contains("vnd.schemaregistry") || accept.contains("*/*") || !accept.contains("application/json")) {
            return CONTENT_TYPE;
        }
        return "application/json";
    }

    /** Path segments, each percent-decoded on its own so that a subject may hold an encoded {@code /}. */
    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (!raw.isEmpty()) {
                segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new HashMap<>();
        if (rawQuery == null) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            query.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return query;
    }
}
