package io.leadflow.intake.nextstep;

import io.leadflow.platform.web.HttpProblem;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /leads/next/{token}}: the website visitor's own link, polled by their browser right after the form was
 * sent. {@code 202 {"status":"routing"}} with {@code Retry-After: 1} until routing-service has chosen an owner, then
 * {@code 200 {"owner":{"name":…,"bookingUrl":…}}}: the owner's public name and booking page, and nothing else about the
 * lead or any other lead. A token that is not ours is 404, an expired one 410 (problem+json). Open without the admin
 * token (the token is the capability); readable cross-origin only from the configured website origins
 * ({@link NextStepCors}). Never cached.
 */
@RestController
class NextStepController {

    static final String PATH = "/leads/next/";

    private final NextStepTokens tokens;
    private final RoutedOwners owners;
    private final Clock clock;

    NextStepController(NextStepTokens tokens, RoutedOwners owners, Clock clock) {
        this.tokens = tokens;
        this.owners = owners;
        this.clock = clock;
    }

    @GetMapping(PATH + "{token}")
    ResponseEntity<Map<String, Object>> next(@PathVariable String token) {
        NextStepTokens.Verified verified = tokens.verify(token, clock.instant())
                .orElseThrow(() -> problem(HttpStatus.NOT_FOUND, "is not a next-step link"));
        if (verified.expired()) {
            throw problem(HttpStatus.GONE, "has expired; the owner will be in touch by email");
        }
        RoutedOwners.PublicOwner owner = owners.owner(verified.leadKey());
        if (owner == null) {
            return ResponseEntity.status(HttpStatus.ACCEPTED).cacheControl(CacheControl.noStore()).header("Retry-After", "1")
                    .body(Map.of("status", "routing"));
        }
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("name", owner.name());
        shown.put("bookingUrl", owner.bookingUrl());
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(Map.of("owner", shown));
    }

    private static HttpProblem problem(HttpStatus status, String detail) {
        return new HttpProblem(status, "token", detail);
    }
}
