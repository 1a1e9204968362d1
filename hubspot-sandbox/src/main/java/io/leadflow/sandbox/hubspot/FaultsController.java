package io.leadflow.sandbox.hubspot;

import io.leadflow.sandbox.AdminGuard;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import static io.leadflow.sandbox.hubspot.Answers.JSON;

/**
 * The sandbox's faults over HTTP, an admin endpoint next to the API (not an API call: neither rate-limited, recorded
 * nor faulty itself):
 * <pre>
 * GET    /sandbox/hubspot/faults   the faults as they stand, each timed one with its secondsLeft
 * PUT    /sandbox/hubspot/faults   replaces them: {"outage": {"status": 503, "seconds": 600},
 *                                  "rateLimitStorm": {"seconds": 120, "retryAfterSeconds": 1}, "latencyMs": 5000,
 *                                  "failNext": {"calls": 5, "status": 500}}, every member optional (absent: off)
 * DELETE /sandbox/hubspot/faults   clears every fault, 204
 * </pre>
 * An outage or storm without {@code seconds} lasts until cleared. A body that is not such a set is a 400
 * {@code application/problem+json} naming the field. Guarded by {@link AdminGuard}.
 */
@RestController
class FaultsController {

    static final String PATH = HubSpotSandboxWeb.BASE_PATH + "/faults";
    private static final Set<String> MEMBERS = Set.of("outage", "rateLimitStorm", "latencyMs", "failNext");
    private static final int MAX_SECONDS = 7 * 24 * 3600;
    private static final int MAX_LATENCY_MS = 120_000;

    private final Faults faults;
    private final AdminGuard admin;
    private final Clock clock;

    FaultsController(HubSpotSandbox sandbox) {
        this.faults = sandbox.faults();
        this.admin = sandbox.admin();
        this.clock = sandbox.clock();
    }

    @GetMapping(PATH)
    ResponseEntity<String> get(HttpServletRequest request) {
        return guarded(request, () -> current(200));
    }

    @PutMapping(PATH)
    ResponseEntity<String> put(HttpServletRequest request, @RequestBody(required = false) String body) {
        return guarded(request, () -> {
            Faults.FaultSet set;
            try {
                set = parse(body);
            } catch (Invalid e) {
                return problem(400, e.getMessage(), e.field);
            }
            faults.replace(set);
            return current(200);
        });
    }

    @DeleteMapping(PATH)
    ResponseEntity<String> delete(HttpServletRequest request) {
        return guarded(request, () -> {
            faults.clear();
            return ResponseEntity.noContent().build();
        });
    }

    private ResponseEntity<String> guarded(HttpServletRequest request, Supplier<ResponseEntity<String>> answer) {
        Optional<String> refusal = admin.refusal(request);
        if (refusal.isPresent()) {
            return ResponseEntity.status(401).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"leadflow\"")
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problemBody(401, refusal.get(), "Authorization"));
        }
        return answer.get();
    }

    private ResponseEntity<String> current(int status) {
        Faults.FaultSet set = faults.current();
        Instant now = clock.instant();
        ObjectNode answer = JSON.createObjectNode();
        if (set.outage() != null) {
            ObjectNode outage = answer.putObject("outage").put("status", set.outage().status());
            timed(outage, set.outage().until(), now);
        }
        if (set.rateLimitStorm() != null) {
            ObjectNode storm = answer.putObject("rateLimitStorm");
            timed(storm, set.rateLimitStorm().until(), now);
            storm.put("retryAfterSeconds", set.rateLimitStorm().retryAfterSeconds());
        }
        if (set.latency() != null) {
            answer.put("latencyMs", set.latency().toMillis());
        }
        if (set.failNext() != null) {
            answer.putObject("failNext").put("calls", set.failNext().calls()).put("status", set.failNext().status());
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(answer.toString());
    }

    /** {@code secondsLeft} rounded up, so a fault still on never reads 0. */
    private static void timed(ObjectNode fault, Instant until, Instant now) {
        if (until != null) {
            long millis = Math.max(0, Duration.between(now, until).toMillis());
            fault.put("secondsLeft", (millis + 999) / 1000);
        }
    }

    private Faults.FaultSet parse(String body) {
        if (body == null || body.isBlank()) {
            throw new Invalid("the body must be a JSON object of faults (an empty object clears them)", "body");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new Invalid("the body is not valid JSON", "body");
        }
        if (root == null || !root.isObject()) {
            throw new Invalid("the body must be a JSON object of faults", "body");
        }
        for (String name : root.propertyNames()) {
            if (!MEMBERS.contains(name)) {
                throw new Invalid("unknown fault '" + name + "'; known: outage, rateLimitStorm, latencyMs, failNext", name);
            }
        }
        Instant now = clock.instant();
        Faults.Outage outage = object(root, "outage", o -> {
            only(o, "outage", "status", "seconds");
            int status = integer(o, "outage.status", 503, 400, 599);
            Integer seconds = optionalInteger(o, "outage.seconds", 1, MAX_SECONDS);
            return new Faults.Outage(status, seconds == null ? null : now.plusSeconds(seconds));
        });
        Faults.RateLimitStorm storm = object(root, "rateLimitStorm", o -> {
            only(o, "rateLimitStorm", "seconds", "retryAfterSeconds");
            Integer seconds = optionalInteger(o, "rateLimitStorm.seconds", 1, MAX_SECONDS);
            int retryAfter = integer(o, "rateLimitStorm.retryAfterSeconds", 1, 0, 3600);
            return new Faults.RateLimitStorm(seconds == null ? null : now.plusSeconds(seconds), retryAfter);
        });
        Integer latencyMs = optionalInteger(root, "latencyMs", 0, MAX_LATENCY_MS);
        Faults.FailNext failNext = object(root, "failNext", o -> {
            only(o, "failNext", "calls", "status");
            if (!o.has("calls")) {
                throw new Invalid("failNext.calls is required: how many calls fail", "failNext.calls");
            }
            return new Faults.FailNext(integer(o, "failNext.calls", 1, 1, 1_000_000), integer(o, "failNext.status", 500, 400, 599));
        });
        return new Faults.FaultSet(outage, storm, latencyMs == null || latencyMs == 0 ? null : Duration.ofMillis(latencyMs), failNext);
    }

    private static <T> T object(JsonNode root, String name, Function<JsonNode, T> read) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new Invalid(name + " must be an object", name);
        }
        return read.apply(node);
    }

    private static void only(JsonNode object, String parent, String... allowed) {
        Set<String> known = Set.of(allowed);
        for (String name : object.propertyNames()) {
            if (!known.contains(name)) {
                throw new Invalid("unknown member " + parent + "." + name + "; known: " + String.join(", ", allowed), parent + "." + name);
            }
        }
    }

    private static int integer(JsonNode object, String field, int absent, int min, int max) {
        Integer value = optionalInteger(object, field, min, max);
        return value == null ? absent : value;
    }

    private static Integer optionalInteger(JsonNode object, String field, int min, int max) {
        JsonNode node = object.get(field.substring(field.lastIndexOf('.') + 1));
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < min || node.asInt() > max) {
            throw new Invalid(field + " must be a whole number from " + min + " to " + max, field);
        }
        return node.asInt();
    }

    private static ResponseEntity<String> problem(int status, String detail, String field) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problemBody(status, detail, field));
    }

    /** RFC 9457, as every Leadflow endpoint answers: type, title, status, detail, the field at fault, the instance. */
    private static String problemBody(int status, String detail, String field) {
        ObjectNode problem = JSON.createObjectNode();
        problem.put("type", "about:blank");
        problem.put("title", Map.of(400, "Bad Request", 401, "Unauthorized").getOrDefault(status, "Error"));
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("field", field);
        problem.put("instance", PATH);
        return problem.toString();
    }

    private static final class Invalid extends RuntimeException {

        final String field;

        Invalid(String message, String field) {
            super(message, null, false, false);
            this.field = field;
        }
    }
}
