package io.leadflow.registry;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/** A plain HTTP client for the registry's REST API, as curl or a non-Java Confluent client would call it. */
final class RegistryHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String V1 = "application/vnd.schemaregistry.v1+json";

    record Response(int status, String contentType, String text) {

        JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (JacksonException e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }

        int errorCode() {
            return json().path("error_code").asInt();
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    RegistryHttp(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    Response get(String path) {
        return send("GET", path, null, V1);
    }

    Response post(String path, String body) {
        return send("POST", path, body, V1);
    }

    Response put(String path, String body) {
        return send("PUT", path, body, V1);
    }

    Response delete(String path) {
        return send("DELETE", path, null, V1);
    }

    Response send(String method, String path, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20))
                .header("Accept", V1 + ", application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    // ---- test schemas --------------------------------------------------------------------------

    static final String PROBE_V1 = """
            {"type":"record","name":"Probe","namespace":"io.leadflow.test","fields":[
              {"name":"id","type":"string"}]}""";

    /** v1 plus an optional field with a default: BACKWARD compatible. */
    static final String PROBE_V2 = """
            {"type":"record","name":"Probe","namespace":"io.leadflow.test","fields":[
              {"name":"id","type":"string"},
              {"name":"note","type":["null","string"],"default":null}]}""";

    /** v1 plus a field without a default: a v3 reader cannot read v1 data, so not BACKWARD compatible. */
    static final String PROBE_NO_DEFAULT = """
            {"type":"record","name":"Probe","namespace":"io.leadflow.test","fields":[
              {"name":"id","type":"string"},
              {"name":"score","type":"int"}]}""";

    static String body(String schema) {
        return JSON.createObjectNode().put("schema", schema).toString();
    }

    static String subject() {
        return "probe-" + UUID.randomUUID().toString().substring(0, 8) + "-value";
    }
}
