package io.leadflow.notifier.privacy;

import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.ErasureStatus;
import io.leadflow.avro.SentAlert;
import io.leadflow.notifier.dedupe.SentLedger;
import io.leadflow.notifier.dedupe.SentStatus;
import io.leadflow.notifier.slack.SlackApiException;
import io.leadflow.notifier.slack.SlackClient;
import io.leadflow.platform.privacy.ErasureAttempts;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Carries out each erasure request ({@code privacy.erasures}, a consumer group of its own) in Slack and in
 * {@code rep.alerts.sent}, reporting as {@value #SLACK} and {@value #STATE}. The person's messages are the SENT markers
 * whose subject is theirs, and those of the same leads (reminders and clicks name a lead, not an email). A message of
 * theirs alone is deleted ({@code chat.delete}); one Slack will not let the bot delete ({@code cant_delete_message}), or a
 * digest that also lists other people, is replaced by {@value #REMOVED} without blocks ({@code chat.update}); one already
 * gone ({@code message_not_found}) is done; one the bot may neither delete nor update (not its own) is counted and left. Then
 * each of the person's leads gets an {@code ERASED} marker (lead id and subject only) and the alerts' markers are deleted
 * (tombstones). While Slack refuses, the report is
 * FAILED with Slack's error code and the request is tried again after a back-off, without end; met again it finds
 * nothing left and reports DONE. Details hold counts and Slack's error codes only.
 */
class SlackErasure {

    static final String SLACK = "slack";
    static final String STATE = "rep-notifier state";
    static final String REMOVED = "This message was removed on request.";
    static final String ERASED_LEAD = "erased-lead:";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Logger log = LoggerFactory.getLogger(SlackErasure.class);

    private final SentLedger ledger;
    private final SlackClient slack;
    private final ErasedPeople erased;
    private final ErasureAttempts attempts;

    SlackErasure(SentLedger ledger, SlackClient slack, ErasedPeople erased, KafkaTemplate<Object, Object> kafka, Clock clock) {
        this.ledger = ledger;
        this.slack = slack;
        this.erased = erased;
        this.attempts = new ErasureAttempts(kafka, clock, SLACK, STATE);
    }

    @KafkaListener(id = "rep-notifier-erasures", groupId = "${spring.kafka.consumer.group-id}-erasures",
            topics = "#{T(io.leadflow.schemas.Topics).PRIVACY_ERASURES.name()}", containerFactory = PrivacyConfiguration.ERASURE_FACTORY)
    void onErasure(ConsumerRecord<String, ErasureRequested> record) {
        attempts.attempt(record.value(), this::carryOut);
    }

    private void carryOut(ErasureAttempts.Attempt attempt) {
        ErasureRequested request = attempt.request();
        String id = attempt.erasureId();
        erased.remember(request);
        try {
            if (!ledger.isReady()) {
                throw new IllegalStateException("rep.alerts.sent not read to its end yet");
            }
            List<SentAlert> theirs = markersOf(request.getSubject());
            Set<String> leadIds = new HashSet<>();
            theirs.forEach(m -> {
                if (m.getLeadId() != null) {
                    leadIds.add(m.getLeadId());
                }
            });
            erased.erasedLeads(leadIds, request.getRequestedAt());
            int[] counts = erase(theirs);
            attempt.report(SLACK, ErasureStatus.DONE, counts[0] + " messages deleted, " + counts[1] + " replaced by the removal notice, "
                    + counts[2] + " already gone" + (counts[3] == 0 ? "" : ", " + counts[3] + " not the bot's to remove"));
            ledger.recordAll(leadIds.stream().map(leadId -> erasedLead(leadId, request)).toList());
            ledger.forget(theirs.stream().map(SentAlert::getAlertId).toList());
            attempt.report(STATE, ErasureStatus.DONE, theirs.size() + " rep.alerts.sent entries deleted");
            log.info("Erasure {} done in Slack and rep-notifier after {} attempt(s)", id, attempt.number());
        } catch (RuntimeException e) {
            String reason = e instanceof SlackApiException slackError ? "Slack " + slackError.method() + " answered " + slackError.error()
                    : "rep-notifier could not finish (" + e.getClass().getSimpleName() + ")";
            log.warn("Erasure {} failed (attempt {}): {}; trying again after a back-off", id, attempt.number(), reason);
            attempt.report(SLACK, ErasureStatus.FAILED, reason + "; trying again");
            attempt.report(STATE, ErasureStatus.PENDING, "waiting for Slack");
            throw e;
        }
    }

    /**
     * What is kept of a lead of the person: its id and their subject, no channel or message, so that after a restart the
     * lead's old alerts that name no email (reminders, clicks) are still known as theirs.
     */
    static SentAlert erasedLead(String leadId, ErasureRequested request) {
        return SentAlert.newBuilder().setAlertId(ERASED_LEAD + leadId).setChannel("").setStatus(SentStatus.ERASED.name())
                .setSlackTs(null).setAt(request.getRequestedAt()).setLeadId(leadId).setSubject(request.getSubject()).build();
    }

    /** The person's SENT markers: their subject's, and every other of the same leads. */
    private List<SentAlert> markersOf(String subject) {
        List<SentAlert> all = ledger.all();
        Set<String> leadIds = new HashSet<>();
        for (SentAlert m : all) {
            if (subject.equals(m.getSubject()) && m.getLeadId() != null) {
                leadIds.add(m.getLeadId());
            }
        }
        List<SentAlert> theirs = new ArrayList<>();
        for (SentAlert m : all) {
            if (SentStatus.of(m.getStatus()) == SentStatus.SENT && m.getSlackTs() != null
                    && (subject.equals(m.getSubject()) || (m.getLeadId() != null && leadIds.contains(m.getLeadId())))) {
                theirs.add(m);
            }
        }
        return theirs;
    }

    /** @return messages deleted, replaced, already gone, not the bot's to remove */
    private int[] erase(List<SentAlert> theirs) {
        Set<String> theirIds = new HashSet<>();
        theirs.forEach(m -> theirIds.add(m.getAlertId()));
        Map<String, SentAlert> messages = new LinkedHashMap<>();
        theirs.forEach(m -> messages.putIfAbsent(m.getChannel() + " " + m.getSlackTs(), m));
        int[] counts = new int[4];
        for (SentAlert message : messages.values()) {
            boolean shared = ledger.all().stream().anyMatch(m -> !theirIds.contains(m.getAlertId())
                    && Objects.equals(m.getChannel(), message.getChannel()) && Objects.equals(m.getSlackTs(), message.getSlackTs()));
            try {
                if (shared) {
                    redact(message);
                    counts[1]++;
                } else {
                    slack.delete(message.getChannel(), message.getSlackTs());
                    counts[0]++;
                }
            } catch (SlackApiException e) {
                if ("message_not_found".equals(e.error())) {
                    counts[2]++;
                } else if ("cant_delete_message".equals(e.error())) {
                    try {
                        redact(message);
                        counts[1]++;
                    } catch (SlackApiException notOurs) {
                        if ("message_not_found".equals(notOurs.error())) {
                            counts[2]++;
                        } else if ("cant_update_message".equals(notOurs.error())) {
                            counts[3]++; // not the bot's: Slack lets only its author or an admin remove it
                        } else {
                            throw notOurs;
                        }
                    }
                } else {
                    throw e;
                }
            }
        }
        return counts;
    }

    /** Text without blocks removes the blocks (https://docs.slack.dev/reference/methods/chat.update). */
    private void redact(SentAlert message) {
        slack.update(JSON.createObjectNode().put("channel", message.getChannel()).put("ts", message.getSlackTs()).put("text", REMOVED));
    }
}
