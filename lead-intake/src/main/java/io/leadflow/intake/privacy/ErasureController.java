package io.leadflow.intake.privacy;

import io.leadflow.avro.ErasureReport;
import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.ErasureStatus;
import io.leadflow.intake.normalise.LeadNormaliser;
import io.leadflow.intake.system.IntakeProperties;
import io.leadflow.intake.system.RejectedRequest;
import io.leadflow.platform.privacy.PersonalKeys;
import io.leadflow.platform.privacy.Subjects;
import io.leadflow.platform.web.HttpProblem;
import io.leadflow.schemas.Topic;
import io.leadflow.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The right to erasure. {@code POST /privacy/erasures} {@code {"email", "reason"}} asks every system to erase a person
 * and answers 202 with the erasure's id and receipt once Kafka has acknowledged the request (the same erasure again for
 * the same person); {@code GET /privacy/erasures/{erasureId}} is the receipt: each system's latest report, plus when the
 * append-only topics' copies age out. Both need the admin token. The reason is checked and then dropped: it is never
 * written to Kafka or a log.
 */
@RestController
class ErasureController {

    static final String PATH = "/privacy/erasures";
    static final int MAX_EMAIL_CHARS = 254;
    static final int MAX_REASON_CHARS = 500;

    private static final Logger log = LoggerFactory.getLogger(ErasureController.class);

    private final Erasures erasures;
    private final KafkaTemplate<String, Object> template;
    private final IntakeProperties properties;
    private final Clock clock;

    private final PersonalKeys keys;

    ErasureController(Erasures erasures, KafkaTemplate<String, Object> template, IntakeProperties properties, Clock clock,
                      ObjectProvider<PersonalKeys> keys) {
        this.keys = keys.getIfAvailable();
        this.erasures = erasures;
        this.template = template;
        this.properties = properties;
        this.clock = clock;
    }

    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> request(@RequestBody(required = false) JsonNode body) {
        String email = email(body);
        reason(body);
        Subjects subjects = erasures.subjects().orElseThrow(() -> RejectedRequest.notConfigured("privacy", "LEADFLOW_PRIVACY_KEY",
                properties.retryAfter()));
        String subject = subjects.of(email);
        erasures.awaitLoaded();
        ErasureRequested existing = erasures.bySubject(subject).orElse(null);
        if (existing != null) {
            return accepted(existing);
        }
        ErasureRequested request = ErasureRequested.newBuilder()
                .setErasureId(UUID.randomUUID().toString())
                .setSubject(subject)
                .setEmail(email)
                .setRequestedAt(Instant.ofEpochMilli(clock.millis()))
                .setCompletedAt(null)
                .build();
        SendResult<String, Object> sent = acknowledged(request);
        erasures.awaitAppliedOr503(sent.getRecordMetadata().topic(), sent.getRecordMetadata().partition(), sent.getRecordMetadata().offset());
        ErasureRequested winner = erasures.bySubject(subject).orElse(request);
        if (!winner.getErasureId().equals(request.getErasureId())) {
            // another instance's request for the same person reached the log first: it is the erasure, and writing it
            // again keeps it the latest record of the key once compaction has dropped ours
            acknowledged(winner);
        } else {
            log.info("Erasure {} requested", request.getErasureId());
        }
        return accepted(winner);
    }

    @GetMapping(PATH + "/{erasureId}")
    ResponseEntity<Map<String, Object>> receipt(@PathVariable String erasureId) {
        erasures.awaitLoaded();
        ErasureRequested request = erasures.byId(erasureId)
                .orElseThrow(() -> new HttpProblem(HttpStatus.NOT_FOUND, "erasureId", "is not a known erasure"));
        Map<String, ErasureReport> reports = erasures.reports(erasureId);
        List<Map<String, Object>> systems = new ArrayList<>();
        boolean failed = false;
        for (String system : ErasureSystems.SERVICES) {
            ErasureReport report = reports.get(system);
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("system", system);
            line.put("status", report == null ? "pending" : status(report.getStatus()));
            line.put("detail", report == null ? "not reported yet" : report.getDetail());
            line.put("attempts", report == null ? 0 : report.getAttempts());
            line.put("reportedAt", report == null ? null : report.getReportedAt().toString());
            systems.add(line);
            failed |= report != null && report.getStatus() == ErasureStatus.FAILED;
        }
        systems.add(eventTopics(request));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("erasureId", request.getErasureId());
        body.put("subject", request.getSubject());
        body.put("requestedAt", request.getRequestedAt().toString());
        body.put("completedAt", request.getCompletedAt() == null ? null : request.getCompletedAt().toString());
        body.put("status", request.getCompletedAt() != null ? "done" : failed ? "failed" : "pending");
        body.put("systems", systems);
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(body);
    }

    /**
     * The copies append-only topics keep (leads, routing decisions, alerts, reminders and their dead letters). With
     * {@code LEADFLOW_PRIVACY_KEY} set their personal fields are encrypted under the person's data keys, and once the
     * erasure is complete and those keys are deleted every copy is unreadable: done. Without it Kafka deletes them with
     * their retention, counted from the record's time, so every copy written before the request is gone
     * {@link Topic#EVENT_RETENTION} after it, and from the dead-letter twins {@link Topic#DEAD_LETTER_RETENTION} after it.
     */
    private Map<String, Object> eventTopics(ErasureRequested request) {
        Instant requestedAt = request.getRequestedAt();
        Instant events = requestedAt.plus(Topic.EVENT_RETENTION);
        Instant deadLetters = requestedAt.plus(Topic.DEAD_LETTER_RETENTION);
        Instant now = clock.instant();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("system", ErasureSystems.KAFKA_EVENT_TOPICS);
        if (keys != null) {
            boolean shredded = request.getCompletedAt() != null && keys.keysBefore(request.getSubject(), request.getCompletedAt()).isEmpty();
            line.put("status", shredded ? "done" : "pending");
            line.put("detail", shredded
                    ? "the personal fields of every copy in every topic, changelog and dead-letter topic are unreadable: the person's "
                    + "data keys were deleted; the wrapped keys leave " + Topics.PRIVACY_KEYS.name() + " at its next compaction"
                    : "the personal fields of every copy are encrypted under the person's data keys, deleted once every system is done");
        } else {
            line.put("status", now.isBefore(deadLetters) ? "pending" : "done");
            line.put("detail", now.isBefore(events)
                    ? "event topics keep older records until " + events + ", dead-letter topics until " + deadLetters
                    : now.isBefore(deadLetters) ? "event topics' records aged out; dead-letter topics keep older records until " + deadLetters
                    : "records from before the request aged out of event topics at " + events + " and of dead-letter topics at " + deadLetters);
        }
        line.put("attempts", 0);
        line.put("reportedAt", null);
        return line;
    }

    private ResponseEntity<Map<String, Object>> accepted(ErasureRequested request) {
        String receipt = PATH + "/" + request.getErasureId();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("erasureId", request.getErasureId());
        body.put("status", request.getCompletedAt() == null ? "pending" : "done");
        body.put("receipt", receipt);
        return ResponseEntity.status(HttpStatus.ACCEPTED).header(HttpHeaders.LOCATION, receipt)
                .cacheControl(CacheControl.noStore()).body(body);
    }

    private SendResult<String, Object> acknowledged(ErasureRequested request) {
        try {
            return template.send(Topics.PRIVACY_ERASURES.name(), request.getSubject(), request)
                    .get(properties.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RejectedRequest.unavailable("interrupted while recording the erasure", properties.retryAfter());
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.warn("Kafka did not acknowledge an erasure request: {}", e.toString());
            throw RejectedRequest.unavailable("Kafka did not acknowledge the erasure request, so it may not have been recorded; "
                    + "retry later (a retry for the same person is the same erasure)", properties.retryAfter());
        }
    }

    private static String email(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw RejectedRequest.invalid("body", "must be a JSON object");
        }
        JsonNode email = body.get("email");
        if (email == null || email.isNull()) {
            throw RejectedRequest.invalid("email", "is required");
        }
        if (!email.isString()) {
            throw RejectedRequest.invalid("email", "must be a string");
        }
        String raw = email.asString();
        if (raw.length() > MAX_EMAIL_CHARS) {
            throw RejectedRequest.invalid("email", "is longer than " + MAX_EMAIL_CHARS + " characters");
        }
        return LeadNormaliser.email(raw, "email");
    }

    private static void reason(JsonNode body) {
        JsonNode reason = body.get("reason");
        if (reason == null || reason.isNull()) {
            return;
        }
        if (!reason.isString()) {
            throw RejectedRequest.invalid("reason", "must be a string");
        }
        if (reason.asString().length() > MAX_REASON_CHARS) {
            throw RejectedRequest.invalid("reason", "is longer than " + MAX_REASON_CHARS + " characters");
        }
    }

    private static String status(ErasureStatus status) {
        return switch (status) {
            case DONE -> "done";
            case FAILED -> "failed";
            default -> "pending";
        };
    }
}
