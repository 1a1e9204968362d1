package io.leadflow.localstack.console;

import io.leadflow.platform.web.HttpProblem;
import io.leadflow.platform.web.AdminAccess;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The console's routing views, passed through to routing-service: the live rules file (to start a simulation from),
 * a simulation of a candidate rules file ({@code POST /routing/simulations}, which publishes nothing) and every routed
 * lead's SLA clock ({@code GET /routing/sla}). Like {@code /api/trials}, the stack's token is lent only while the
 * console's API is open (loopback, no token); otherwise the caller's own {@code Authorization} goes to routing-service.
 * routing-service's answers to a bad request (a rules file that does not load, with every problem and its line; a bad
 * window or source) are passed on as they are: status and problem.
 */
@RestController
@RequestMapping(path = "/api/routing", produces = MediaType.APPLICATION_JSON_VALUE)
class RoutingViewsController {


    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** routing-service takes a rules file of at most this many bytes; the console reads no more than that. */
    static final int MAX_RULES_BYTES = 1_000_000;
    /** routing-service gives a simulation up to {@code LEADFLOW_ROUTING_SIMULATION_TIMEOUT} (10 minutes by default). */
    static final Duration SIMULATION_TIMEOUT = Duration.ofMinutes(11);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final ConsoleSettings settings;
    private final AdminAccess access;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    RoutingViewsController(ConsoleSettings settings, AdminAccess access) {
        this.settings = settings;
        this.access = access;
    }

    /** The live (newest published) rules version and its file: what a simulation starts from. */
    @GetMapping("/rules")
    JsonNode liveRules(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) throws Exception {
        HttpResponse<String> rules = send(get("/routing/rules", READ_TIMEOUT), authorization);
        if (rules.statusCode() != 200) {
            throw ConsoleController.upstreamFailure("routing-service answered " + rules.statusCode() + " to GET /routing/rules");
        }
        JsonNode live = JSON.readTree(rules.body()).path("live");
        ObjectNode answer = JSON.createObjectNode();
        if (!live.isObject()) {
            answer.putNull("live");
            answer.putNull("yaml");
            return answer;
        }
        int version = live.path("version").asInt();
        HttpResponse<String> file = send(HttpRequest.newBuilder(URI.create(settings.routingUrl() + "/routing/rules/" + version))
                .timeout(READ_TIMEOUT).header("Accept", "application/yaml").GET(), authorization);
        if (file.statusCode() != 200) {
            throw ConsoleController.upstreamFailure("routing-service answered " + file.statusCode() + " to GET /routing/rules/" + version);
        }
        answer.set("live", live);
        answer.put("yaml", file.body());
        return answer;
    }

    /**
     * Rehearses the body (a candidate rules file) over the leads of the window: routing-service's report, or its problem
     * (a file that does not load is a 400 listing every problem with its line). Nothing is published.
     */
    @PostMapping(path = "/simulations", consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain"})
    ResponseEntity<String> simulate(HttpServletRequest request, @RequestParam(required = false) String from,
                                    @RequestParam(required = false) String to, @RequestParam(required = false) List<String> sources,
                                    @RequestParam(required = false) String limit,
                                    @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) throws Exception {
        byte[] rulesFile = rulesFile(request);
        List<String> query = new ArrayList<>();
        param(query, "from", from);
        param(query, "to", to);
        for (String source : sources == null ? List.<String>of() : sources) {
            param(query, "sources", source);
        }
        param(query, "limit", limit);
        String path = "/routing/simulations" + (query.isEmpty() ? "" : "?" + String.join("&", query));
        HttpRequest.Builder simulation = HttpRequest.newBuilder(URI.create(settings.routingUrl() + path)).timeout(SIMULATION_TIMEOUT)
                .header("Accept", "application/json").header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(rulesFile));
        return relay(send(simulation, authorization), "POST /routing/simulations");
    }

    /** Every routed lead's SLA clock, open ones first. */
    @GetMapping("/sla")
    ResponseEntity<String> clocks(@RequestParam(required = false) String limit,
                                  @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) throws Exception {
        List<String> query = new ArrayList<>();
        param(query, "limit", limit);
        String path = "/routing/sla" + (query.isEmpty() ? "" : "?" + query.get(0));
        return relay(send(get(path, READ_TIMEOUT), authorization), "GET /routing/sla");
    }

    private HttpRequest.Builder get(String path, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(settings.routingUrl() + path)).timeout(timeout).header("Accept", "application/json").GET();
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String authorization) throws IOException, InterruptedException {
        String credentials = access.open() ? "Bearer " + settings.adminToken() : authorization;
        if (credentials != null) {
            request.header(HttpHeaders.AUTHORIZATION, credentials);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /**
     * routing-service's answer as the console's: a report as it is; a problem with the request (4xx) as it is, so the
     * page can show the field and the lines; a refusal of the console's credentials, or a failure, as the console's own.
     */
    private static ResponseEntity<String> relay(HttpResponse<String> response, String call) {
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw ConsoleController.upstreamFailure("routing-service refused " + call + " (" + status + ")");
        }
        if (status == 200 || (status >= 400 && status < 500) || status == 503) {
            Optional<String> type = response.headers().firstValue("Content-Type");
            boolean problem = type.isPresent() && type.get().startsWith("application/problem+json");
            ResponseEntity.BodyBuilder answer = ResponseEntity.status(status)
                    .contentType(problem ? MediaType.APPLICATION_PROBLEM_JSON : MediaType.APPLICATION_JSON);
            response.headers().firstValue(HttpHeaders.RETRY_AFTER).ifPresent(after -> answer.header(HttpHeaders.RETRY_AFTER, after));
            if (status == 200 || problem) {
                return answer.body(response.body());
            }
        }
        throw ConsoleController.upstreamFailure("routing-service answered " + status + " to " + call);
    }

    private static void param(List<String> query, String name, String value) {
        if (value != null && !value.isBlank()) {
            query.add(name + "=" + URLEncoder.encode(value.trim(), StandardCharsets.UTF_8));
        }
    }

    /** The body, read no further than a rules file may go. */
    private static byte[] rulesFile(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_RULES_BYTES) {
            throw new HttpProblem(HttpStatus.CONTENT_TOO_LARGE, "body", "is larger than " + MAX_RULES_BYTES + " bytes, the most a rules file may have");
        }
        byte[] body = request.getInputStream().readNBytes(MAX_RULES_BYTES + 1);
        if (body.length > MAX_RULES_BYTES) {
            throw new HttpProblem(HttpStatus.CONTENT_TOO_LARGE, "body", "is larger than " + MAX_RULES_BYTES + " bytes, the most a rules file may have");
        }
        if (body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()) {
            throw new IllegalArgumentException("body: paste or upload a rules file (YAML) to simulate");
        }
        return body;
    }
}
