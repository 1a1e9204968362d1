package io.leadflow.sandbox.slack;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

/**
 * The fault controls every sandbox shares, over HTTP: {@code GET} the faults in force (with {@code secondsLeft}),
 * {@code PUT} a new set (200 with the set now in force), {@code DELETE} them all (204). Body, every member optional:
 * <pre>
 * {"outage": {"status": 503, "seconds": 600}, "rateLimitStorm": {"seconds": 120, "retryAfterSeconds": 1},
 *  "latencyMs": 5000, "failNext": {"calls": 5, "status": 500}}
 * </pre>
 * An invalid body is answered 400 {@code application/problem+json} naming the field, and changes nothing. These are admin
 * endpoints: whoever hosts the sandbox guards {@value #PATH} with the admin-access rule (the console and
 * {@link SlackSandboxServer} do).
 */
@RestController
@RequestMapping(SlackFaultsController.PATH)
class SlackFaultsController {

    static final String PATH = "/sandbox/slack/faults";
    private static final int MAX_SECONDS = 24 * 60 * 60;
    private static final int MAX_LATENCY_MS = 10 * 60 * 1000;

    private final SlackSandbox sandbox;

    SlackFaultsController(SlackSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    String current() {
        return view(sandbox.faults()).toString();
    }

    @PutMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> replace(HttpServletRequest request) throws IOException {
        String body = new String(request.getInputStream().readNBytes(64 * 1024), StandardCharsets.UTF_8);
        SlackFaults.Settings settings;
        try {
            settings = parse(body);
        } catch (Invalid e) {
            return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(problem(e.getMessage(), e.field, request.getRequestURI()));
        }
        sandbox.faults().replace(settings);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(view(sandbox.faults()).toString());
    }

    @DeleteMapping
    ResponseEntity<Void> clear() {
        sandbox.faults().clear();
        return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
    }

    /** The faults in force, in the body's shape, with {@code secondsLeft} for those that end. */
    static ObjectNode view(SlackFaults faults) {
        SlackFaults.Settings now = faults.current();
        ObjectNode view = SlackSandbox.JSON.createObjectNode();
        if (now.outage() != null) {
            ObjectNode outage = view.putObject("outage").put("status", now.outage().status());
            if (now.outage().duration() != null) {
                outage.put("seconds", now.outage().duration().toSeconds());
            }
            faults.outageSecondsLeft().ifPresent(left -> outage.put("secondsLeft", left));
        }
        if (now.rateLimitStorm() != null) {
            ObjectNode storm = view.putObject("rateLimitStorm");
            if (now.rateLimitStorm().duration() != null) {
                storm.put("seconds", now.rateLimitStorm().duration().toSeconds());
            }
            storm.put("retryAfterSeconds", now.rateLimitStorm().retryAfterSeconds());
            faults.rateLimitStormSecondsLeft().ifPresent(left -> storm.put("secondsLeft", left));
        }
        if (now.latency() != null) {
            view.put("latencyMs", now.latency().toMillis());
        }
        if (now.failNext() != null) {
            view.putObject("failNext").put("calls", now.failNext().calls()).put("status", now.failNext().status());
        }
        return view;
    }

    static SlackFaults.Settings parse(String body) {
        JsonNode root;
        try {
            root = SlackSandbox.JSON.readTree(body.isBlank() ? "{}" : body);
        } catch (RuntimeException e) {
            throw new Invalid("body", "the body is not JSON");
        }
        if (!root.isObject()) {
            throw new Invalid("body", "the body must be a JSON object");
        }
        only(root, "", Set.of("outage", "rateLimitStorm", "latencyMs", "failNext"));
        SlackFaults.Outage outage = null;
        JsonNode o = root.path("outage");
        if (present(o)) {
            object(o, "outage");
            only(o, "outage.", Set.of("status", "seconds"));
            int status = integer(o.path("status"), "outage.status", 503, 400, 599);
            outage = new SlackFaults.Outage(status, seconds(o.path("seconds"), "outage.seconds"));
        }
        SlackFaults.RateLimitStorm storm = null;
        JsonNode r = root.path("rateLimitStorm");
        if (present(r)) {
            object(r, "rateLimitStorm");
            only(r, "rateLimitStorm.", Set.of("seconds", "retryAfterSeconds"));
            storm = new SlackFaults.RateLimitStorm(seconds(r.path("seconds"), "rateLimitStorm.seconds"),
                    integer(r.path("retryAfterSeconds"), "rateLimitStorm.retryAfterSeconds", 1, 1, 3600));
        }
        Duration latency = null;
        JsonNode l = root.path("latencyMs");
        if (present(l)) {
            int ms = integer(l, "latencyMs", 0, 0, MAX_LATENCY_MS);
            latency = ms == 0 ? null : Duration.ofMillis(ms);
        }
        SlackFaults.FailNext failNext = null;
        JsonNode f = root.path("failNext");
        if (present(f)) {
            object(f, "failNext");
            only(f, "failNext.", Set.of("calls", "status"));
            if (!present(f.path("calls"))) {
                throw new Invalid("failNext.calls", "failNext.calls is required: how many calls fail");
            }
            failNext = new SlackFaults.FailNext(integer(f.path("calls"), "failNext.calls", 1, 1, 1_000_000),
                    integer(f.path("status"), "failNext.status", 500, 400, 599));
        }
        return new SlackFaults.Settings(outage, storm, latency, failNext);
    }

    private static boolean present(JsonNode node) {
        return !node.isMissingNode() && !node.isNull();
    }

    private static void object(JsonNode node, String field) {
        if (!node.isObject()) {
            throw new Invalid(field, field + " must be an object");
        }
    }

    private static void only(JsonNode node, String prefix, Set<String> known) {
        for (String name : node.propertyNames()) {
            if (!known.contains(name)) {
                throw new Invalid(prefix + name, prefix + name + " is not a fault control; known: " + known);
            }
        }
    }

    private static int integer(JsonNode node, String field, int fallback, int min, int max) {
        if (!present(node)) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < min || node.asInt() > max) {
            throw new Invalid(field, field + " must be a whole number from " + min + " to " + max);
        }
        return node.asInt();
    }

    private static Duration seconds(JsonNode node, String field) {
        return present(node) ? Duration.ofSeconds(integer(node, field, 0, 1, MAX_SECONDS)) : null;
    }

    private static String problem(String detail, String field, String instance) {
        return SlackSandbox.JSON.createObjectNode().put("type", "about:blank").put("title", "Bad Request").put("status", 400)
                .put("detail", detail).put("field", field).put("instance", instance).toString();
    }

    /** A body that is no fault set, naming the field at fault. */
    static final class Invalid extends RuntimeException {

        final String field;

        Invalid(String field, String message) {
            super(message);
            this.field = field;
        }
    }
}
