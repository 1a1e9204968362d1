package io.leadflow.routing.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.platform.web.HttpProblem;
import io.leadflow.routing.decide.Availability;
import io.leadflow.routing.decide.Decision;
import io.leadflow.routing.decide.InMemoryRoutingState;
import io.leadflow.routing.decide.Router;
import io.leadflow.routing.decide.RoutingState;
import io.leadflow.routing.rules.Rep;
import io.leadflow.routing.rules.RoutingRules;
import io.leadflow.routing.topology.SlaState;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The read API: a decision with its reasons, the reps with today's load and availability, and a
 * preview of what the current rules would decide for a lead. Reads are answered from the routing
 * task's stores; on an instance that does not run the task they are forwarded, once, to the one that does.
 */
@RestController
@RequestMapping(path = "/routing", produces = MediaType.APPLICATION_JSON_VALUE)
class RoutingController {

    private final LiveRouter rules;
    private final RoutingStores stores;
    private final Clock clock;
    private final ObjectMapper json;

    RoutingController(LiveRouter rules, RoutingStores stores, Clock clock, ObjectMapper json) {
        this.rules = rules;
        this.stores = stores;
        this.clock = clock;
        this.json = json;
    }

    @GetMapping("/decisions/{leadId}")
    ResponseEntity<?> decision(@PathVariable String leadId, HttpServletRequest request) {
        Optional<URI> elsewhere = stores.elsewhere(request);
        if (elsewhere.isPresent()) {
            return stores.forward(elsewhere.get(), request, null);
        }
        LeadRouted routed = stores.decisions().orElseThrow(RoutingController::notReady).get(leadId);
        if (routed == null) {
            throw new HttpProblem(HttpStatus.NOT_FOUND, "leadId", "has no routing decision: '" + leadId + "'");
        }
        SlaState clock = stores.clocks().map(clocks -> clocks.get(leadId)).orElse(null);
        return ResponseEntity.ok(DecisionView.of(routed, clock == null ? SlaView.none()
                : SlaView.of(clock, rules.current().rules().sla().stream().filter(p -> p.id().equals(clock.policy())).findFirst().orElse(null))));
    }

    @GetMapping("/reps")
    ResponseEntity<?> reps(HttpServletRequest request) {
        Optional<URI> elsewhere = stores.elsewhere(request);
        if (elsewhere.isPresent()) {
            return stores.forward(elsewhere.get(), request, null);
        }
        Optional<RoutingState> state = stores.state();
        if (state.isEmpty()) {
            throw notReady();
        }
        Instant now = clock.instant();
        Router router = this.rules.current();
        RoutingRules rules = router.rules();
        List<RepView> reps = rules.reps().stream().map(rep -> RepView.of(rep, router.availability(rep, now, state.get()), rules)).toList();
        Rep fallback = rules.owners().fallbackOwner();
        return ResponseEntity.ok(new RepsView(rules.version(), router.today(now), rules.timeZone().getId(), rules.owners().fallbackTeam(),
                reps, new RepsView.FallbackOwner(fallback.id(), fallback.name(), fallback.email(), fallback.slackUserId(), fallback.hubspotOwnerId())));
    }

    /**
     * The decision the current rules would make for this lead now, from the live state (account
     * owners, today's counts, round-robin turn) of the instance that holds it (forwarded there when it is another one);
     * without it while the stream starts or rebalances. Nothing is stored or published.
     */
    @PostMapping(path = "/preview", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> preview(@RequestBody PreviewRequest request, HttpServletRequest http) {
        if (request == null) {
            throw HttpProblem.invalid("body", "must be a JSON object with at least an email");
        }
        Optional<URI> elsewhere = stores.elsewhereIfKnown(http);
        if (elsewhere.isPresent()) {
            return stores.forward(elsewhere.get(), http, json.writeValueAsBytes(request));
        }
        Instant now = clock.instant();
        LeadReceived lead = request.toLead(now);
        Optional<RoutingState> live = stores.state();
        Router router = rules.current();
        Decision decision = router.decide(lead, now, new InMemoryRoutingState(live.orElse(null)));
        LeadRouted routed = decision.toLeadRouted(lead, now);
        SlaView sla = router.sla(routed).map(policy -> SlaView.policy(policy,
                        policy.remindAfter() == null ? null : decision.owner().plus(now, policy.remindAfter(), policy.workingHoursOnly()),
                        policy.reassignAfter() == null ? null : decision.owner().plus(now, policy.reassignAfter(), policy.workingHoursOnly())))
                .orElseGet(SlaView::none);
        return ResponseEntity.ok(DecisionView.of(routed, true, live.isPresent(), sla));
    }

    /** The routing task is this instance's, but its stores cannot be read yet (restoring). */
    static HttpProblem notReady() {
        return HttpProblem.unavailable(
                "The routing state is not available yet (the stream is starting or rebalancing); retry shortly.", RoutingProblems.RETRY);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RepsView(String rulesVersion, LocalDate today, String timeZone, String fallbackTeam, List<RepView> reps, FallbackOwner fallbackOwner) {

        record FallbackOwner(String id, String name, String email, String slackUserId, String hubspotOwnerId) {
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RepView(String id, String name, String email, String slackUserId, String hubspotOwnerId, List<String> teams, int weight,
                   Integer dailyCap, boolean active, List<Rep.OutOfOffice> outOfOffice, long assignedToday, boolean available,
                   String unavailableBecause) {

        static RepView of(Rep rep, Availability availability, RoutingRules rules) {
            return new RepView(rep.id(), rep.name(), rep.email(), rep.slackUserId(), rep.hubspotOwnerId(), rules.teamsOf(rep.id()),
                    rep.weight(), rep.dailyCap(), rep.active(), rep.outOfOffice(), availability.assignedToday(),
                    availability.available(), availability.reason());
        }
    }
}
