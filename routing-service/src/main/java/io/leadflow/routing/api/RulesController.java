package io.leadflow.routing.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.leadflow.avro.RulesVersion;
import io.leadflow.platform.web.HttpProblem;
import io.leadflow.routing.publish.RulesPublisher;
import io.leadflow.routing.rules.RoutingRules;
import io.leadflow.routing.rules.RulesLoader;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Rules as events: {@code PUT /routing/rules} validates a rules file and publishes it as the next version on
 * {@code routing.rules}; {@code GET /routing/rules} the newest version and the history; {@code GET /routing/rules/{version}}
 * a version's file; {@code POST /routing/rules/{version}/republish} a rollback (a new version with an older file).
 * An invalid file is a 400 listing every problem with its line, and nothing is published.
 */
@RestController
@RequestMapping(path = "/routing/rules", produces = MediaType.APPLICATION_JSON_VALUE)
class RulesController {

    static final String ACTOR = "X-Leadflow-Actor";
    static final int MAX_NOTE = 500;
    static final int MAX_ACTOR = 100;

    private final RulesPublisher publisher;

    RulesController(RulesPublisher publisher) {
        this.publisher = publisher;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record VersionView(int version, String label, String sha256, String publishedBy, Instant publishedAt, String note, Integer rolledBackFrom) {
        static VersionView of(RulesVersion v) {
            return new VersionView(v.getVersion(), labelOf(v), v.getSha256(), v.getPublishedBy(), v.getPublishedAt(),
                    v.getNote(), v.getRolledBackFrom());
        }
    }

    /** @param live the newest version: the routing task switches to it at its place among the leads */
    record RulesView(VersionView live, List<VersionView> history) {
    }

    @PutMapping(consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"})
    ResponseEntity<VersionView> publish(HttpServletRequest request, @RequestParam(required = false) String note,
                                        @RequestHeader(name = ACTOR, required = false) String actor) throws IOException {
        String yaml = new String(SimulationController.rulesFile(request), StandardCharsets.UTF_8);
        String by = actor(actor);
        String why = note(note);
        RulesLoader.parse(yaml, "the rules file"); // every problem with its line, before anything is written
        return created(publisher.publish(yaml, by, why));
    }

    @PostMapping("/{version}/republish")
    ResponseEntity<VersionView> republish(@PathVariable String version, @RequestParam(required = false) String note,
                                          @RequestHeader(name = ACTOR, required = false) String actor) {
        int number = number(version);
        String by = actor(actor);
        String why = note(note);
        RulesVersion older = publisher.version(number)
                .orElseThrow(() -> new HttpProblem(HttpStatus.NOT_FOUND, "version", "v" + number + " was never published"));
        RulesLoader.parse(older.getYaml(), "rules v" + number); // still loads under this release
        return created(publisher.republish(older, by, why));
    }

    @GetMapping
    RulesView rules() {
        List<RulesVersion> history = publisher.history();
        List<VersionView> newestFirst = new ArrayList<>();
        for (int i = history.size() - 1; i >= 0; i--) {
            newestFirst.add(VersionView.of(history.get(i)));
        }
        return new RulesView(newestFirst.isEmpty() ? null : newestFirst.get(0), newestFirst);
    }

    @GetMapping(path = "/{version}", produces = {"application/yaml", "application/problem+json"})
    ResponseEntity<String> file(@PathVariable String version) {
        int number = number(version);
        RulesVersion published = publisher.version(number)
                .orElseThrow(() -> new HttpProblem(HttpStatus.NOT_FOUND, "version", "v" + number + " was never published"));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/yaml;charset=UTF-8"))
                .header("X-Leadflow-Rules-Sha256", published.getSha256()).body(published.getYaml());
    }

    private static ResponseEntity<VersionView> created(RulesVersion published) {
        return ResponseEntity.created(URI.create("/routing/rules/" + published.getVersion())).body(VersionView.of(published));
    }

    private static int number(String version) {
        String digits = version.startsWith("v") ? version.substring(1) : version;
        if (!digits.isEmpty() && digits.length() <= 9 && digits.chars().allMatch(Character::isDigit)) {
            int number = Integer.parseInt(digits);
            if (number > 0) {
                return number;
            }
        }
        throw HttpProblem.invalid("version", "must be a published version number such as 3, was '" + version + "'");
    }

    private static String actor(String header) {
        if (header == null || header.isBlank()) {
            return "admin API";
        }
        String actor = header.strip();
        if (actor.length() > MAX_ACTOR || actor.chars().anyMatch(Character::isISOControl)) {
            throw HttpProblem.invalid(ACTOR, "must be who publishes, at most " + MAX_ACTOR + " printable characters");
        }
        return actor;
    }

    private static String note(String note) {
        if (note == null || note.isBlank()) {
            return null;
        }
        if (note.length() > MAX_NOTE || note.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
            throw HttpProblem.invalid("note", "must be at most " + MAX_NOTE + " characters of text");
        }
        return note.strip();
    }

    /** The file's own {@code version:} label, as decisions quote it in {@code rulesVersion}. */
    private static String labelOf(RulesVersion v) {
        try {
            RoutingRules rules = RulesLoader.parse(v.getYaml(), "rules v" + v.getVersion());
            return rules.version();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
