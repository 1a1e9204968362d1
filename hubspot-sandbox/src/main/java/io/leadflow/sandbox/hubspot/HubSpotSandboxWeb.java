package io.leadflow.sandbox.hubspot;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;

/** Serves the HubSpot sandbox over HTTP under {@value #BASE_PATH}: that URL is the base URL crm-sync is given. */
/* The nested controller is registered as a member class of this configuration. */
@Configuration(proxyBeanMethods = false)
public class HubSpotSandboxWeb {

    public static final String BASE_PATH = "/sandbox/hubspot";

    @RestController
    static class HubSpotSandboxController {

        private final HubSpotSandbox sandbox;

        HubSpotSandboxController(HubSpotSandbox sandbox) {
            this.sandbox = sandbox;
        }

        @RequestMapping(BASE_PATH + "/**")
        ResponseEntity<String> handle(HttpServletRequest request, @RequestBody(required = false) String body) {
            String path = request.getRequestURI().substring(request.getContextPath().length() + BASE_PATH.length());
            Map<String, String> query = new LinkedHashMap<>();
            request.getParameterMap().forEach((k, v) -> query.put(k, String.join(",", v)));
            HubSpotSandbox.Answer answer = sandbox.handle(request.getMethod(), path, query, request.getHeader(HttpHeaders.AUTHORIZATION), body);
            ResponseEntity.BodyBuilder response = ResponseEntity.status(answer.status());
            answer.headers().forEach(response::header);
            if (answer.body() == null) {
                return response.build();
            }
            return response.contentType(MediaType.APPLICATION_JSON).body(answer.body().toString());
        }
    }
}
