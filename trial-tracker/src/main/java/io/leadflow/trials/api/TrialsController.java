package io.leadflow.trials.api;

import io.leadflow.avro.Deployment;
import io.leadflow.avro.TrialClosed;
import io.leadflow.avro.TrialEvent;
import io.leadflow.avro.TrialExtended;
import io.leadflow.avro.TrialOutcome;
import io.leadflow.avro.TrialStarted;
import io.leadflow.platform.web.HttpProblem;
import io.leadflow.platform.streams.InstanceQueries;
import io.leadflow.schemas.LeadIds;
import io.leadflow.schemas.Topics;
import io.leadflow.trials.system.TrialsProperties;
import io.leadflow.trials.topology.TrialContext;
import io.leadflow.trials.topology.TrialIds;
import io.leadflow.trials.topology.TrialSettings;
import io.leadflow.trials.topology.TrialState;
import io.leadflow.trials.topology.TrialStatus;
import io.leadflow.trials.topology.TrialStores;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The trials API. Commands only write {@link TrialEvent}s to {@code trials.events} (202 Accepted); the topology
 * applies them and is the single writer of trial state. Reads come from the topology's stores: a trial held by another
 * instance is read there, and the list is gathered from every instance ({@link InstanceQueries}).
 */
@Validated
@RestController
@RequestMapping("/trials")
class TrialsController {

    private final TrialCommands commands;
    private final TrialStores stores;
    private final TrialsProperties properties;
    private final TrialSettings settings;
    private final Clock clock;
    private final InstanceQueries instances;
    private final ObjectMapper json;

    TrialsController(TrialCommands commands, TrialStores stores, TrialsProperties properties, Clock clock,
                     InstanceQueries instances, ObjectMapper json) {
        this.commands = commands;
        this.stores = stores;
        this.instances = instances;
        this.json = json;
        this.properties = properties;
        this.settings = properties.topologySettings();
        this.clock = clock;
    }

    /** 202 when the start was written; 200 with the trial when it already runs; 422 when known not to be hands-on. */
    @PostMapping
    ResponseEntity<?> start(@Valid @RequestBody TrialRequests.Start request, HttpServletRequest http) {
        if (request.dealId() == null && request.leadId() == null) {
            throw HttpProblem.invalid("dealId", "or leadId is required");
        }
        // answered by the instance holding what was named (the deal's trial, or the lead's context), so "already
        // running" and "not hands-on" are known whichever instance is asked
        String named = request.dealId() != null ? TrialIds.forDeal(request.dealId()) : TrialIds.forLead(request.leadId());
        Optional<ResponseEntity<byte[]>> elsewhere = heldElsewhere(named, http, request);
        if (elsewhere.isPresent()) {
            return elsewhere.get();
        }
        Instant now = clock.instant();
        String dealId = request.dealId();
        TrialContext ofLead = null;
        if (dealId == null) {
            ofLead = readable(() -> stores.context(named)).orElse(null);
            dealId = ofLead == null ? null : ofLead.dealId();
        }
        String trialId = dealId != null ? TrialIds.forDeal(dealId) : named;
        boolean local = trialId.equals(named);
        TrialContext known = (local ? readable(() -> stores.context(trialId)) : ifHere(() -> stores.context(trialId))).orElse(ofLead);
        String refusal = settings.refusal(null, known);
        if (refusal != null) {
            throw new HttpProblem(HttpStatus.UNPROCESSABLE_CONTENT, request.dealId() != null ? "dealId" : "leadId",
                    "cannot start a hands-on evaluation: " + refusal);
        }
        // a lead's deal trial held by another instance is not read from here: a second start of a running trial is
        // recorded as a duplicate and ignored by the topology
        Optional<TrialState> existing = local ? readable(() -> stores.trial(trialId)) : ifHere(() -> stores.trial(trialId));
        if (existing.isPresent()) {
            return ResponseEntity.ok(TrialViews.summary(existing.get(), known, now));
        }
        TrialStarted started = TrialStarted.newBuilder()
                .setDealId(dealId)
                .setLeadId(request.leadId() != null ? request.leadId() : known == null ? null : known.leadId())
                .setStartsAt(request.startsAt() != null ? request.startsAt() : now)
                .setLengthDays(request.lengthDays() != null ? request.lengthDays() : properties.defaultLengthDays())
                .setDeployment("cloud".equals(request.deployment()) ? Deployment.CLOUD : Deployment.SELF_HOSTED)
                .setOrigin("API")
                .build();
        TrialEvent event = event(trialId, "start:" + UUID.randomUUID(), now, started);
        commands.publish(event);
        return accepted(event);
    }

    @PostMapping("/{trialId}/extend")
    ResponseEntity<?> extend(@PathVariable String trialId, @Valid @RequestBody TrialRequests.Extend request,
                             @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
                             HttpServletRequest http) {
        return onOpenTrial(trialId, "extend", idempotencyKey, http, request,
                () -> TrialExtended.newBuilder().setDays(request.days()).setReason(request.reason().trim()).build());
    }

    @PostMapping("/{trialId}/close")
    ResponseEntity<?> close(@PathVariable String trialId, @Valid @RequestBody TrialRequests.Close request,
                            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
                            HttpServletRequest http) {
        return onOpenTrial(trialId, "close", idempotencyKey, http, request,
                () -> TrialClosed.newBuilder().setOutcome(TrialOutcome.valueOf(request.outcome().toUpperCase()))
                        .setReason(request.reason() == null || request.reason().isBlank() ? null : request.reason().trim())
                        .build());
    }

    /**
     * A command on a running trial: forwarded to the instance that holds the trial, else refused unless the trial is
     * open, else published as the event {@code payload} makes.
     */
    private ResponseEntity<?> onOpenTrial(String trialId, String command, String idempotencyKey, HttpServletRequest http,
                                          Object request, Supplier<Object> payload) {
        Optional<ResponseEntity<byte[]>> elsewhere = heldElsewhere(trialId, http, request);
        if (elsewhere.isPresent()) {
            return elsewhere.get();
        }
        requireOpen(trialId);
        TrialEvent event = event(trialId, eventId(trialId, command, idempotencyKey), clock.instant(), payload.get());
        commands.publish(event);
        return accepted(event);
    }

    /** Running trials of every instance, soonest end first; {@code owner} filters by rep id. */
    @GetMapping
    List<TrialViews.Summary> list(@RequestParam(required = false) String owner,
                                  @RequestParam(defaultValue = "500") @Min(1) @Max(5000) int limit,
                                  HttpServletRequest request) {
        Instant now = clock.instant();
        return readable(() -> instances.gather(TrialState.STORE, Topics.TRIALS_EVENTS.name(), Topics.TRIALS_EVENTS.partitions(),
                        request, () -> running(owner, limit, now), body -> List.of(json.readValue(body, TrialViews.Summary[].class))))
                .stream()
                .sorted(SOONEST_END)
                .limit(limit)
                .toList();
    }

    @GetMapping("/{trialId}")
    ResponseEntity<?> get(@PathVariable String trialId, HttpServletRequest request) {
        Optional<ResponseEntity<byte[]>> elsewhere = heldElsewhere(trialId, request, null);
        if (elsewhere.isPresent()) {
            return elsewhere.get();
        }
        TrialState trial = readable(() -> stores.trial(trialId)).orElseThrow(() -> notFound(trialId));
        return ResponseEntity.ok(TrialViews.detail(trial, readable(() -> stores.context(trialId)).orElse(null), clock.instant()));
    }

    private static final Comparator<TrialViews.Summary> SOONEST_END =
            Comparator.comparing(TrialViews.Summary::endsAt).thenComparing(TrialViews.Summary::trialId);

    /** This instance's running trials. */
    private List<TrialViews.Summary> running(String owner, int limit, Instant now) {
        return readable(stores::all).stream()
                .filter(t -> t.status() == TrialStatus.ACTIVE)
                .map(t -> TrialViews.summary(t, readable(() -> stores.context(t.trialId())).orElse(null), now))
                .filter(s -> owner == null || (s.owner() != null && owner.equals(s.owner().repId())))
                .sorted(SOONEST_END)
                .limit(limit)
                .toList();
    }

    /** The answer of the instance that holds the trial, when it is another one (the request forwarded there once). */
    private Optional<ResponseEntity<byte[]>> heldElsewhere(String trialId, HttpServletRequest request, Object body) {
        Optional<URI> holder = readable(() -> instances.ownerOf(TrialState.STORE, trialId, request));
        return holder.map(owner -> readable(() -> instances.forward(owner, request, body == null ? null : json.writeValueAsBytes(body))));
    }

    private void requireOpen(String trialId) {
        TrialState trial = readable(() -> stores.trial(trialId)).orElseThrow(() -> notFound(trialId));
        if (trial.status() == TrialStatus.CLOSED) {
            throw new HttpProblem(HttpStatus.CONFLICT, "trialId", "trial " + trialId + " is already closed as "
                    + trial.outcome());
        }
    }

    private static <T> T readable(java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (TrialStores.Unavailable | InstanceQueries.NotReady e) {
            throw HttpProblem.unavailable(e.getMessage() + "; please retry", Duration.ofSeconds(5));
        }
    }

    /** A read of a key this instance may not hold: empty when it cannot be read here. */
    private static <T> Optional<T> ifHere(java.util.function.Supplier<Optional<T>> read) {
        try {
            return read.get();
        } catch (TrialStores.Unavailable e) {
            return Optional.empty();
        }
    }

    private static HttpProblem notFound(String trialId) {
        return new HttpProblem(HttpStatus.NOT_FOUND, "trialId", "no trial " + trialId);
    }

    private static String eventId(String trialId, String command, String idempotencyKey) {
        return idempotencyKey == null || idempotencyKey.isBlank() ? command + ":" + UUID.randomUUID()
                : command + ":" + LeadIds.nameBased(trialId + ":" + command + ":" + idempotencyKey.trim());
    }

    private static TrialEvent event(String trialId, String eventId, Instant now, Object payload) {
        return TrialEvent.newBuilder().setEventId(eventId).setTrialId(trialId).setOccurredAt(now).setPayload(payload).build();
    }

    private static ResponseEntity<Accepted> accepted(TrialEvent event) {
        return ResponseEntity.accepted().location(URI.create("/trials/" + event.getTrialId()))
                .body(new Accepted(event.getTrialId(), event.getEventId(), "accepted"));
    }

    /** The event was written; the topology applies it within moments (see {@code GET /trials/{trialId}}). */
    record Accepted(String trialId, String eventId, String status) {
    }
}
