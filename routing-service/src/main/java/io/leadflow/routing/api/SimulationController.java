package io.leadflow.routing.api;

import io.leadflow.avro.LeadSource;
import io.leadflow.platform.web.HttpProblem;
import io.leadflow.routing.rules.RoutingRules;
import io.leadflow.routing.rules.RulesLoader;
import io.leadflow.routing.simulate.SimulationReport;
import io.leadflow.routing.simulate.SimulationWindow;
import io.leadflow.routing.simulate.Simulations;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code POST /routing/simulations}: what a candidate rules file (the body, YAML) would have decided for the leads of
 * a window, compared with what was decided. Publishes nothing and changes no live state; an invalid file is a 400
 * listing every problem with its line, as start-up would.
 */
@RestController
@RequestMapping(path = "/routing", produces = MediaType.APPLICATION_JSON_VALUE)
class SimulationController {

    static final int MAX_RULES_BYTES = 1_000_000;
    static final int DEFAULT_LIMIT = 200;
    static final int MAX_LIMIT = 10_000;

    private final Simulations simulations;
    private final Clock clock;

    SimulationController(Simulations simulations, Clock clock) {
        this.simulations = simulations;
        this.clock = clock;
    }

    @PostMapping(path = "/simulations", consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"})
    ResponseEntity<SimulationReport> simulate(HttpServletRequest request,
                                              @RequestParam(required = false) String from,
                                              @RequestParam(required = false) String to,
                                              @RequestParam(required = false) List<String> sources,
                                              @RequestParam(required = false) String limit) throws IOException {
        SimulationWindow window = window(instant(from, "from"), instant(to, "to"), sources(sources));
        int listed = limit(limit);
        byte[] rulesFile = rulesFile(request);
        RoutingRules candidate = RulesLoader.parse(new String(rulesFile, StandardCharsets.UTF_8), "the candidate rules file");
        SimulationReport report = simulations.run(candidate, window, listed);
        return ResponseEntity.ok(report.withGeneratedAt(clock.instant()));
    }

    /** The body, read no further than a rules file may go (YAML is UTF-8 unless told otherwise). */
    static byte[] rulesFile(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_RULES_BYTES) {
            throw tooLarge();
        }
        byte[] body = request.getInputStream().readNBytes(MAX_RULES_BYTES + 1);
        if (body.length > MAX_RULES_BYTES) {
            throw tooLarge();
        }
        if (body.length == 0) {
            throw HttpProblem.invalid("body", "must be a rules file (YAML), as LEADFLOW_ROUTING_RULES would name");
        }
        return body;
    }

    private static HttpProblem tooLarge() {
        return new HttpProblem(HttpStatus.CONTENT_TOO_LARGE, "body", "is larger than " + MAX_RULES_BYTES + " bytes, the most a rules file may have");
    }

    private static SimulationWindow window(Instant from, Instant to, Set<LeadSource> sources) {
        if (from != null && to != null && !to.isAfter(from)) {
            throw HttpProblem.invalid("to", "must be after from (" + from + "), was " + to);
        }
        return new SimulationWindow(from, to, sources);
    }

    private static Instant instant(String value, String param) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw HttpProblem.invalid(param, "must be an ISO-8601 instant such as 2026-03-01T00:00:00Z, was '" + value + "'");
        }
    }

    private static Set<LeadSource> sources(List<String> names) {
        Set<LeadSource> sources = EnumSet.noneOf(LeadSource.class);
        for (String name : names == null ? List.<String>of() : names) {
            if (name == null || name.isBlank()) {
                continue;
            }
            String constant = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            LeadSource source = Arrays.stream(LeadSource.values()).filter(s -> s != LeadSource.UNKNOWN && s.name().equals(constant))
                    .findFirst().orElseThrow(() -> HttpProblem.invalid("sources", "must name lead sources among "
                            + Arrays.stream(LeadSource.values()).filter(s -> s != LeadSource.UNKNOWN).map(Enum::name).toList()
                            + ", was '" + name + "'"));
            sources.add(source);
        }
        return sources;
    }

    private static int limit(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 0 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw HttpProblem.invalid("limit", "must be a whole number from 0 to " + MAX_LIMIT + ", was '" + value + "'");
    }
}
