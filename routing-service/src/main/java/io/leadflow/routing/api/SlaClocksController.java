package io.leadflow.routing.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.leadflow.avro.LeadRouted;
import io.leadflow.platform.web.HttpProblem;
import io.leadflow.routing.rules.SlaPolicy;
import io.leadflow.routing.topology.SlaState;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

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
 */
@RestController
@RequestMapping(path = "/routing", produces = MediaType.APPLICATION_JSON_VALUE)
class SlaClocksController {

    static final int DEFAULT_LIMIT = 200;
    static final int MAX_LIMIT = 1_000;

    /** Open clocks first, the soonest due first; then stopped ones, the latest first; leadId breaks ties. */
    static final Comparator<ClockView> ORDER = Comparator.comparing((ClockView c) -> !c.open())
            .thenComparing(c -> c.open() ? sortKey(c.acceptBy(), c.remindAt()) : Instant.MAX.minusMillis(c.lastEventAt() == null ? 0
                    : c.lastEventAt().toEpochMilli()))
            .thenComparing(ClockView::leadId);

    private final RoutingStores stores;
    private final LiveRouter rules;
    private final Clock clock;

    SlaClocksController(RoutingStores stores, LiveRouter rules, Clock clock) {
        this.stores = stores;
        this.rules = rules;
        this.clock = clock;
    }

    @GetMapping("/sla")
    ResponseEntity<?> clocks(@RequestParam(required = false) String limit, HttpServletRequest request) {
        Integer listed = limit(limit);
        if (listed == null) {
            throw HttpProblem.invalid("limit", "must be a whole number from 1 to " + MAX_LIMIT + ", was '" + limit + "'");
        }
        Optional<URI> elsewhere = stores.elsewhere(request);
        if (elsewhere.isPresent()) {
            return stores.forward(elsewhere.get(), request, null);
        }
        ReadOnlyKeyValueStore<String, SlaState> clocks = stores.clocks().orElseThrow(RoutingController::notReady);
        ReadOnlyKeyValueStore<String, LeadRouted> decisions = stores.decisions().orElseThrow(RoutingController::notReady);
        Instant now = clock.instant();
        List<SlaPolicy> policies = rules.current().rules().sla();
        // a bounded heap of the first `listed` clocks in ORDER: the store is read once, memory stays O(limit)
        PriorityQueue<ClockView> first = new PriorityQueue<>(ORDER.reversed());
        int total = 0;
        int open = 0;
        try (KeyValueIterator<String, SlaState> all = clocks.all()) {
            while (all.hasNext()) {
                SlaState state = all.next().value;
                LeadRouted decision = state == null ? null : decisions.get(state.leadId());
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
