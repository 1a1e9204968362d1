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
import io.leadflow.routing.system.RoutingProperties;
import io.leadflow.routing.topology.SlaState;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The read API: a decision with its reasons, the reps with today's load and availability, and a
 * preview of what the current rules would decide for a lead. Reads are answered from the routing
 * task's stores; on an instance that does not run the task they are forwarded to the one that does.
 */
@RestController
@RequestMapping(path = "/routing", produces = MediaType.APPLICATION_JSON_VALUE)
class RoutingController {

    static final String FORWARDED = "X-Leadflow-Forwarded";

    private final LiveRouter rules;
    private final RoutingStores stores;
    private final Clock clock;
    private final RestClient peers;

    RoutingController(LiveRouter rules, RoutingStores stores, Clock clock, RoutingProperties properties) {
        this.rules = rules;
        this.stores = stores;
        this.clock = clock;
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(properties.forwardTimeout());
        requests.setReadTimeout(properties.forwardTimeout());
        this.peers = RestClient.builder().requestFactory(requests).build();
    }

    @GetMapping("/decisions/{leadId}")
    ResponseEntity<?> decision(@PathVariable String leadId, @RequestHeader(name = FORWARDED, required = false) String forwarded,
                               @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        var store = stores.decisions();
        if (store.isEmpty()) {
            return forward("/routing/decisions/" + leadId, forwarded, authorization);
        }
        LeadRouted routed = store.get().get(leadId);
        if (routed == null) {
            throw new HttpProblem(HttpStatus.NOT_FOUND, "leadId", "has no routing decision: '" + leadId + "'");
        }
        SlaState clock = stores.clocks().map(clocks -> clocks.get(leadId)).orElse(null);
        return ResponseEntity.ok(DecisionView.of(routed, clock == null ? SlaView.none()
                : SlaView.of(clock, rules.current().rules().sla().stream().filter(p -> p.id().equals(clock.policy())).findFirst().orElse(null))));
    }

    @GetMapping("/reps")
    ResponseEntity<?> reps(@RequestHeader(name = FORWARDED, required = false) String forwarded,
                           @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        Optional<RoutingState> state = stores.state();
        if (state.isEmpty()) {
            return forward("/routing/reps", forwarded, authorization);
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
     * owners, today's counts, round-robin turn) when this instance holds it; nothing is stored or published.
     */
    @PostMapping(path = "/preview", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<DecisionView> preview(@RequestBody PreviewRequest request) {
        if (request == null) {
            throw HttpProblem.invalid("body", "must be a JSON object with at least an email");
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

    /** Asks the instance that holds the state, with the caller's own credentials: the peer applies the same admin-access rule. */
    private ResponseEntity<?> forward(String path, String forwarded, String authorization) {
        Optional<URI> owner = forwarded == null ? stores.remoteOwner() : Optional.empty();
        if (owner.isEmpty()) {
            throw HttpProblem.unavailable(
                    "The routing state is not available yet (the stream is starting or rebalancing); retry shortly.", RoutingProblems.RETRY);
        }
        try {
            return peers.get().uri(owner.get().resolve(path)).header(FORWARDED, "1")
                    .headers(headers -> {
                        if (authorization != null) {
                            headers.set(HttpHeaders.AUTHORIZATION, authorization);
                        }
                    })
                    .exchange((request, response) -> {
                        HttpStatusCode status = response.getStatusCode();
                        byte[] body = response.getBody().readAllBytes();
                        return ResponseEntity.status(status).contentType(response.getHeaders().getContentType() == null
                                ? MediaType.APPLICATION_JSON : response.getHeaders().getContentType()).body(body);
                    });
        } catch (RestClientException e) {
            throw HttpProblem.unavailable(
                    "The instance holding the routing state (" + owner.get() + ") did not answer; retry shortly.", RoutingProblems.RETRY);
        }
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
