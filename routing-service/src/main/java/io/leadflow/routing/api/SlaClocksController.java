package io.leadflow.routing.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.leadflow.avro.LeadRouted;
import io.leadflow.routing.rules.SlaPolicy;
import io.leadflow.routing.system.RoutingProperties;
import io.leadflow.routing.topology.SlaState;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * {@code GET /routing/sla}: every routed lead's SLA clock in one list, open clocks first (soonest due first), then the
 * stopped ones (latest first), for a console that watches speed to lead. Read from the routing task's stores like
 * {@code GET /routing/decisions/{leadId}}; on an instance that does not run the task it is asked of the one that does.
 * Errors are answered here as {@code application/problem+json} naming the field.
 */
@RestController
@RequestMapping(path = "/routing", produces = MediaType.APPLICATION_JSON_VALUE)
class SlaClocksController {

    static final int DEFAULT_LIMIT = 200;
    static final int MAX_LIMIT = 1_000;
    static final String FORWARDED = "X-Leadflow-Forwarded";

    /** Open clocks first, the soonest due first; then stopped ones, the latest first; leadId breaks ties. */
    static final Comparator<ClockView> ORDER = Comparator.comparing((ClockView c) -> !c.open())
            .thenComparing(c -> c.open() ? sortKey(c.acceptBy(), c.remindAt()) : Instant.MAX.minusMillis(c.lastEventAt() == null ? 0
                    : c.lastEventAt().toEpochMilli()))
            .thenComparing(ClockView::leadId);

    private final RoutingStores stores;
    private final LiveRouter rules;
    private final Clock clock;
    private final RestClient peers;

    SlaClocksController(RoutingStores stores, LiveRouter rules, Clock clock, RoutingProperties properties) {
        this.stores = stores;
        this.rules = rules;
        this.clock = clock;
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(properties.forwardTimeout());
        requests.setReadTimeout(properties.forwardTimeout());
        this.peers = RestClient.builder().requestFactory(requests).build();
    }

    @GetMapping("/sla")
    ResponseEntity<?> clocks(@RequestParam(required = false) String limit,
                             @RequestHeader(name = FORWARDED, required = false) String forwarded,
                             @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        Integer listed = limit(limit);
        if (listed == null) {
            return problem(HttpStatus.BAD_REQUEST, "limit", "limit must be a whole number from 1 to " + MAX_LIMIT + ", was '" + limit + "'");
        }
        Optional<ReadOnlyKeyValueStore<String, SlaState>> clocks = stores.clocks();
        Optional<ReadOnlyKeyValueStore<String, LeadRouted>> decisions = stores.decisions();
        if (clocks.isEmpty() || decisions.isEmpty()) {
            return forward("/routing/sla?limit=" + listed, forwarded, authorization);
        }
        Instant now = clock.instant();
        List<SlaPolicy> policies = rules.current().rules().sla();
        // a bounded heap of the first `listed` clocks in ORDER: the store is read once, memory stays O(limit)
        PriorityQueue<ClockView> first = new PriorityQueue<>(ORDER.reversed());
        int total = 0;
        int open = 0;
        try (KeyValueIterator<String, SlaState> all = clocks.get().all()) {
            while (all.hasNext()) {
                SlaState state = all.next().value;
                LeadRouted decision = state == null ? null : decisions.get().get(state.leadId());
                if (decision == null) {
                    continue;
                }
                ClockView view = ClockView.of(state, decision, policies.stream().filter(p -> p.id().equals(state.policy())).findFirst()
                        .orElse(null), now);
                total++;
                open += view.open() ? 1 : 0;
                first.add(view);
                if (first.size() > listed) {
                    first.poll();
                }
            }
        }
        List<ClockView> list = new ArrayList<>(first);
        list.sort(ORDER);
        return ResponseEntity.ok(new ClocksView(now, total, open, listed, list));
    }

    private static Instant sortKey(Instant acceptBy, Instant remindAt) {
        return acceptBy != null ? acceptBy : remindAt != null ? remindAt : Instant.MAX;
    }

    private static Integer limit(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        String digits = value.trim();
        if (digits.length() > 4 || !digits.chars().allMatch(Character::isDigit)) {
            return null;
        }
        int limit = Integer.parseInt(digits);
        return limit >= 1 && limit <= MAX_LIMIT ? limit : null;
    }

    /** Asks the instance that holds the routing task, with the caller's own credentials (the peer applies the same rule). */
    private ResponseEntity<?> forward(String path, String forwarded, String authorization) {
        Optional<URI> owner = forwarded == null ? stores.remoteOwner() : Optional.empty();
        if (owner.isEmpty()) {
            return unavailable("The routing state is not available yet (the stream is starting or rebalancing); retry shortly.");
        }
        try {
            return peers.get().uri(owner.get().resolve(path)).header(FORWARDED, "1")
                    .headers(headers -> {
                        if (authorization != null) {
                            headers.set(HttpHeaders.AUTHORIZATION, authorization);
                        }
                    })
                    .exchange((request, response) -> ResponseEntity.status(response.getStatusCode())
                            .contentType(response.getHeaders().getContentType() == null ? MediaType.APPLICATION_JSON
                                    : response.getHeaders().getContentType())
                            .body(response.getBody().readAllBytes()));
        } catch (RestClientException e) {
            return unavailable("The instance holding the routing state (" + owner.get() + ") did not answer; retry shortly.");
        }
    }

    private static ResponseEntity<ProblemDetail> unavailable(String detail) {
        ResponseEntity<ProblemDetail> answer = problem(HttpStatus.SERVICE_UNAVAILABLE, null, detail);
        return ResponseEntity.status(answer.getStatusCode()).header(HttpHeaders.RETRY_AFTER, "5")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(answer.getBody());
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String field, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(status.getReasonPhrase());
        if (field != null) {
            problem.setProperty("field", field);
        }
        problem.setInstance(URI.create("/routing/sla"));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /**
     * @param total how many routed leads have a clock row; {@code open} of them still wait for their owner
     * @param limit at most this many are listed
     */
    record ClocksView(Instant now, int total, int open, int limit, List<ClockView> clocks) {
    }

    /**
     * One lead's clock.
     *
     * @param status       {@code waiting} (the first owner has not accepted), {@code reassigned} (a later owner has not),
     *                     {@code accepted}, {@code breached} (escalated, no one left to reassign it to), {@code none} (no policy)
     * @param open         the clock runs: the owner has not accepted and it is neither breached nor without a policy
     * @param secondsLeft  until {@code acceptBy}, for an open clock (negative: due, about to fire)
     * @param reminderSent the current owner was reminded
     * @param escalatedTo  the policy's channel, once it was told (every reassignment and the breach are escalated)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ClockView(String leadId, String company, String source, Instant routedAt, int decisionVersion, OwnerView owner,
                     String policy, String status, boolean open, Instant remindAt, Instant acceptBy, Long secondsLeft,
                     boolean reminderSent, int reassignments, String escalatedTo, List<String> heldBy, String acceptedBy,
                     Instant acceptedAt, String acceptedVia, Instant lastEventAt, String lastEvent) {

        static ClockView of(SlaState clock, LeadRouted decision, SlaPolicy policy, Instant now) {
            String status = switch (clock.status()) {
                case ACCEPTED -> "accepted";
                case BREACHED -> "breached";
                case WAITING -> clock.policy() == null ? "none" : clock.version() > 1 ? "reassigned" : "waiting";
            };
            boolean open = clock.status() == SlaState.Status.WAITING && clock.policy() != null;
            Instant acceptBy = instant(clock.acceptBy());
            boolean reminded = clock.history().stream().anyMatch(e -> e.event().equals("reminded") && e.version() == clock.version());
            boolean escalated = policy != null && policy.escalateTo() != null
                    && (clock.status() == SlaState.Status.BREACHED || clock.reassignments() > 0);
            SlaState.Event last = clock.history().isEmpty() ? null : clock.history().get(clock.history().size() - 1);
            return new ClockView(clock.leadId(), decision.getLead().getContact().getCompanyName(), decision.getLead().getSource().name(),
                    decision.getRoutedAt(), decision.getDecisionVersion(),
                    new OwnerView(decision.getOwner().getRepId(), decision.getOwner().getName()), clock.policy(), status, open,
                    instant(clock.remindAt()), acceptBy, open && acceptBy != null ? Duration.between(now, acceptBy).toSeconds() : null,
                    reminded, clock.reassignments(), escalated ? policy.escalateTo() : null, clock.heldBy(), clock.acceptedBy(),
                    instant(clock.acceptedAt()), clock.acceptedVia(), last == null ? null : Instant.ofEpochMilli(last.at()),
                    last == null ? null : last.event());
        }

        private static Instant instant(Long millis) {
            return millis == null ? null : Instant.ofEpochMilli(millis);
        }
    }

    record OwnerView(String repId, String name) {
    }
}
