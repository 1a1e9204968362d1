package io.leadflow.routing.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Need;
import io.leadflow.avro.PlanInterest;
import io.leadflow.avro.RerouteRequested;
import io.leadflow.platform.web.HttpProblem;
import io.leadflow.routing.rules.Rep;
import io.leadflow.schemas.Topics;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * {@code POST /routing/leads/{leadId}/reroute}: corrected facts or an explicit owner for a routed lead. The request is
 * checked here and written to {@code routing.commands}; the topology, the single writer of ownership, makes it the
 * lead's next decision version. Answers 202 once Kafka has the request. The request is checked against the lead's
 * current decision, so on an instance that does not run the routing task it is forwarded, once, to the one that does.
 */
@RestController
@RequestMapping(path = "/routing", produces = MediaType.APPLICATION_JSON_VALUE)
class RerouteController {

    private static final Pattern COUNTRY = Pattern.compile("[A-Za-z]{2}");
    private static final int NOTE_CHARS = 500;

    private final RoutingStores stores;
    private final LiveRouter router;
    private final KafkaTemplate<String, Object> kafka;
    private final Clock clock;
    private final ObjectMapper json;

    RerouteController(RoutingStores stores, LiveRouter router, KafkaTemplate<String, Object> kafka, Clock clock, ObjectMapper json) {
        this.stores = stores;
        this.router = router;
        this.kafka = kafka;
        this.clock = clock;
        this.json = json;
    }

    /** What may be corrected; every field optional, at least one of them given. */
    record RerouteBody(String country, String planInterest, Long monthlyEvents, Long monthlyActiveUsers, List<String> needs,
                       String ownerRepId, String note) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Accepted(String requestId, String leadId, int currentVersion, String status) {
    }

    @PostMapping(path = "/leads/{leadId}/reroute", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> reroute(@PathVariable String leadId, @RequestBody(required = false) RerouteBody body,
                              HttpServletRequest http) {
        // The instance that runs the routing task checks the request against the live rules and the lead's decision.
        Optional<URI> elsewhere = stores.elsewhere(http);
        if (elsewhere.isPresent()) {
            return stores.forward(elsewhere.get(), http, body == null ? null : json.writeValueAsBytes(body));
        }
        if (body == null) {
            throw HttpProblem.invalid("body", "must be a JSON object with corrected facts or an ownerRepId");
        }
        RerouteRequested.Builder request = RerouteRequested.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setLeadId(leadId)
                .setRequestedBy("admin API")
                .setRequestedAt(clock.instant());
        boolean anything = false;
        if (body.country() != null) {
            if (!COUNTRY.matcher(body.country().trim()).matches()) {
                throw HttpProblem.invalid("country", "must be an ISO 3166-1 alpha-2 code such as US or DE");
            }
            request.setCountry(body.country().trim().toUpperCase(Locale.ROOT));
            anything = true;
        }
        if (body.planInterest() != null) {
            PlanInterest interest = constant(PlanInterest.class, body.planInterest(), "planInterest");
            request.setPlanInterest(interest);
            anything = true;
        }
        if (body.monthlyEvents() != null) {
            atLeastZero(body.monthlyEvents(), "monthlyEvents");
            request.setMonthlyEvents(body.monthlyEvents());
            anything = true;
        }
        if (body.monthlyActiveUsers() != null) {
            atLeastZero(body.monthlyActiveUsers(), "monthlyActiveUsers");
            request.setMonthlyActiveUsers(body.monthlyActiveUsers());
            anything = true;
        }
        if (body.needs() != null) {
            List<Need> needs = new ArrayList<>();
            for (int i = 0; i < body.needs().size(); i++) {
                String need = body.needs().get(i);
                if (need == null) {
                    throw HttpProblem.invalid("needs[" + i + "]", "must be one of " + names(Need.class));
                }
                needs.add(constant(Need.class, need, "needs[" + i + "]"));
            }
            request.setNeeds(needs);
            anything = true;
        }
        if (body.ownerRepId() != null) {
            Optional<Rep> rep = router.current().rules().rep(body.ownerRepId());
            if (rep.isEmpty()) {
                throw HttpProblem.invalid("ownerRepId", "is not a rep of the rules: '" + body.ownerRepId() + "', expected one of "
                        + router.current().rules().reps().stream().map(Rep::id).toList());
            }
            if (!rep.get().active()) {
                throw HttpProblem.invalid("ownerRepId", "is a rep who no longer takes leads: '" + body.ownerRepId() + "'");
            }
            request.setOwnerRepId(rep.get().id());
            anything = true;
        }
        if (body.note() != null) {
            if (body.note().length() > NOTE_CHARS) {
                throw HttpProblem.invalid("note", "must be at most " + NOTE_CHARS + " characters");
            }
            request.setNote(body.note().isBlank() ? null : body.note().strip());
        }
        if (!anything) {
            throw HttpProblem.invalid("body", "must correct at least one of country, planInterest, monthlyEvents, "
                    + "monthlyActiveUsers, needs, or name an ownerRepId");
        }
        LeadRouted current = stores.decisions().orElseThrow(RoutingController::notReady).get(leadId);
        if (current == null) {
            throw new HttpProblem(HttpStatus.NOT_FOUND, "leadId", "has no routing decision: '" + leadId + "'");
        }
        RerouteRequested command = request.build();
        try {
            kafka.send(Topics.ROUTING_COMMANDS.name(), leadId, command).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw HttpProblem.unavailable("Interrupted before Kafka took the request; retry.", RoutingProblems.RETRY);
        } catch (ExecutionException | TimeoutException e) {
            throw HttpProblem.unavailable("Kafka did not take the request in time; retry.", RoutingProblems.RETRY);
        }
        return ResponseEntity.accepted().location(URI.create("/routing/decisions/" + leadId))
                .body(new Accepted(command.getRequestId(), leadId, current.getDecisionVersion(), "accepted"));
    }

    private static void atLeastZero(long value, String field) {
        if (value < 0) {
            throw HttpProblem.invalid(field, "must be 0 or more");
        }
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String text, String field) {
        String name = text.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(name) && !constant.name().equals("UNKNOWN")) {
                return constant;
            }
        }
        throw HttpProblem.invalid(field, "must be one of " + names(type));
    }

    private static <E extends Enum<E>> List<String> names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Enum::name).filter(n -> !n.equals("UNKNOWN"))
                .map(n -> n.toLowerCase(Locale.ROOT).replace('_', '-')).toList();
    }
}
