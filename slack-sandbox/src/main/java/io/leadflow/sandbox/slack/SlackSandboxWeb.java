package io.leadflow.sandbox.slack;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Serves a {@link SlackSandbox} bean's Web API under {@value #BASE_PATH}{@code /<method>}, one mapping per method as
 * Slack documents it (https://docs.slack.dev/reference/methods): that URL is the base URL a Slack client is given.
 * Arguments come as query parameters, a form body or a JSON body, with GET or POST, as Slack accepts them
 * (https://docs.slack.dev/apis/web-api). The fault controls ({@link SlackFaultsController}) are served next to it at
 * {@code /sandbox/slack/faults}; the application guards them as an admin endpoint. Import it into any servlet
 * application that has the bean; {@link SlackSandboxServer} is one on its own.
 */
@Configuration(proxyBeanMethods = false)
@Import({SlackSandboxWeb.WebApi.class, SlackSandboxWeb.ResponseUrls.class, SlackFaultsController.class})
public class SlackSandboxWeb {

    public static final String BASE_PATH = "/sandbox/slack/api";
    /** Where the {@code response_url} of a click points; the secret part of the URL follows. */
    public static final String RESPONSE_URL_PATH = "/sandbox/slack/actions";

    /** The Web API methods the sandbox implements, each where Slack serves it. */
    @RestController
    @RequestMapping(BASE_PATH)
    static class WebApi {

        private final SlackSandbox sandbox;

        WebApi(SlackSandbox sandbox) {
            this.sandbox = sandbox;
        }

        /** https://docs.slack.dev/reference/methods/auth.test */
        @RequestMapping("/auth.test")
        ResponseEntity<String> authTest(HttpServletRequest request) throws IOException {
            return call("auth.test", request);
        }

        /** https://docs.slack.dev/reference/methods/chat.postMessage */
        @RequestMapping("/chat.postMessage")
        ResponseEntity<String> postMessage(HttpServletRequest request) throws IOException {
            return call("chat.postMessage", request);
        }

        /** https://docs.slack.dev/reference/methods/chat.update */
        @RequestMapping("/chat.update")
        ResponseEntity<String> update(HttpServletRequest request) throws IOException {
            return call("chat.update", request);
        }

        /** https://docs.slack.dev/reference/methods/chat.delete/ */
        @RequestMapping("/chat.delete")
        ResponseEntity<String> delete(HttpServletRequest request) throws IOException {
            return call("chat.delete", request);
        }

        /** https://docs.slack.dev/reference/methods/chat.postEphemeral */
        @RequestMapping("/chat.postEphemeral")
        ResponseEntity<String> postEphemeral(HttpServletRequest request) throws IOException {
            return call("chat.postEphemeral", request);
        }

        /** https://docs.slack.dev/reference/methods/conversations.open */
        @RequestMapping("/conversations.open")
        ResponseEntity<String> open(HttpServletRequest request) throws IOException {
            return call("conversations.open", request);
        }

        /** https://docs.slack.dev/reference/methods/conversations.history */
        @RequestMapping("/conversations.history")
        ResponseEntity<String> history(HttpServletRequest request) throws IOException {
            return call("conversations.history", request);
        }

        /** https://docs.slack.dev/reference/methods/users.lookupByEmail */
        @RequestMapping("/users.lookupByEmail")
        ResponseEntity<String> lookupByEmail(HttpServletRequest request) throws IOException {
            return call("users.lookupByEmail", request);
        }

        /** https://docs.slack.dev/reference/methods/conversations.create */
        @RequestMapping("/conversations.create")
        ResponseEntity<String> create(HttpServletRequest request) throws IOException {
            return call("conversations.create", request);
        }

        /** https://docs.slack.dev/reference/methods/conversations.invite */
        @RequestMapping("/conversations.invite")
        ResponseEntity<String> invite(HttpServletRequest request) throws IOException {
            return call("conversations.invite", request);
        }

        /** https://docs.slack.dev/reference/methods/conversations.inviteShared */
        @RequestMapping("/conversations.inviteShared")
        ResponseEntity<String> inviteShared(HttpServletRequest request) throws IOException {
            return call("conversations.inviteShared", request);
        }

        /** https://docs.slack.dev/reference/methods/conversations.list */
        @RequestMapping("/conversations.list")
        ResponseEntity<String> list(HttpServletRequest request) throws IOException {
            return call("conversations.list", request);
        }

        /** https://docs.slack.dev/reference/methods/conversations.info */
        @RequestMapping("/conversations.info")
        ResponseEntity<String> info(HttpServletRequest request) throws IOException {
            return call("conversations.info", request);
        }

        /** Any other method: Slack's {@code unknown_method}. */
        @RequestMapping("/{method}")
        ResponseEntity<String> unknown(@PathVariable String method, HttpServletRequest request) throws IOException {
            return call(method, request);
        }

        private ResponseEntity<String> call(String method, HttpServletRequest request) throws IOException {
            ObjectNode arguments = SlackSandbox.JSON.createObjectNode();
            String contentType = request.getContentType();
            request.getParameterMap().forEach((k, v) -> arguments.put(k, v[0]));
            if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(MediaType.APPLICATION_JSON_VALUE)) {
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
            }
            SlackSandbox.Answer answer = sandbox.handle(request.getMethod(), method, request.getHeader(HttpHeaders.AUTHORIZATION),
                    contentType, arguments);
            ResponseEntity.BodyBuilder response = ResponseEntity.status(answer.status());
            answer.headers().forEach(response::header);
            if (answer.body().isMissingNode()) {
                return response.build();
            }
            return response.contentType(MediaType.APPLICATION_JSON).body(answer.body().toString());
        }
    }

    /** A click's {@code response_url}: a JSON body with {@code text}/{@code blocks} and how to show it. */
    @RestController
    static class ResponseUrls {

        private final SlackSandbox sandbox;

        ResponseUrls(SlackSandbox sandbox) {
            this.sandbox = sandbox;
        }

        @PostMapping(RESPONSE_URL_PATH + "/{secret}")
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
    }

    private static ResponseEntity<String> json(int status, String body) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}
