package io.leadflow.localstack.sandbox.slack;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Serves the Slack sandbox's Web API under {@value #BASE_PATH}{@code /<method>}: that URL is the base URL
 * rep-notifier is given. Arguments come as query parameters, a form body or a JSON body, as Slack accepts.
 */
/* The nested controller is registered as a member class of this configuration. */
@Configuration(proxyBeanMethods = false)
public class SlackSandboxWeb {

    public static final String BASE_PATH = "/sandbox/slack/api";
    /** Where the {@code response_url} of a click points; the secret part of the URL follows. */
    public static final String RESPONSE_URL_PATH = "/sandbox/slack/actions";

    @RestController
    static class SlackSandboxController {

        private final SlackSandbox sandbox;

        SlackSandboxController(SlackSandbox sandbox) {
            this.sandbox = sandbox;
        }

        @RequestMapping(BASE_PATH + "/{method}")
        ResponseEntity<String> handle(@PathVariable String method, HttpServletRequest request) throws IOException {
            ObjectNode arguments = SlackSandbox.JSON.createObjectNode();
            String contentType = request.getContentType();
            if (contentType != null && contentType.toLowerCase().startsWith(MediaType.APPLICATION_JSON_VALUE)) {
                request.getParameterMap().forEach((k, v) -> arguments.put(k, v[0]));
                String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!body.isBlank()) {
                    JsonNode json;
                    try {
                        json = SlackSandbox.JSON.readTree(body);
                    } catch (RuntimeException e) {
                        return json(200, "{\"ok\":false,\"error\":\"invalid_json\"}");
                    }
                    if (json.isObject()) {
                        json.properties().forEach(e -> arguments.set(e.getKey(), e.getValue()));
                    }
                }
            } else {
                request.getParameterMap().forEach((k, v) -> arguments.put(k, v[0]));
            }
            SlackSandbox.Answer answer = sandbox.handle(request.getMethod(), method, request.getHeader(HttpHeaders.AUTHORIZATION), arguments);
            ResponseEntity.BodyBuilder response = ResponseEntity.status(answer.status());
            answer.headers().forEach(response::header);
            return response.contentType(MediaType.APPLICATION_JSON).body(answer.body().toString());
        }

        /** A click's {@code response_url}: a JSON body with {@code text}/{@code blocks} and how to show it. */
        @org.springframework.web.bind.annotation.PostMapping(RESPONSE_URL_PATH + "/{secret}")
        ResponseEntity<String> respond(@PathVariable String secret, HttpServletRequest request) throws IOException {
            String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            JsonNode json;
            try {
                json = SlackSandbox.JSON.readTree(body.isBlank() ? "{}" : body);
            } catch (RuntimeException e) {
                return json(400, "{\"ok\":false,\"error\":\"invalid_json\"}");
            }
            if (!json.isObject()) {
                return json(400, "{\"ok\":false,\"error\":\"invalid_json\"}");
            }
            SlackSandbox.Answer answer = sandbox.respond(secret, (ObjectNode) json);
            return json(answer.status(), answer.body().toString());
        }

        private static ResponseEntity<String> json(int status, String body) {
            return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
        }
    }
}
