package io.leadflow.notifier.delivery;

import io.leadflow.avro.RepAlert;
import io.leadflow.avro.SentAlert;
import io.leadflow.notifier.dedupe.SentStatus;
import io.leadflow.notifier.slack.SlackApiException;
import io.leadflow.notifier.slack.SlackErrorClass;
import io.leadflow.notifier.slack.SlackPost;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Delivers exactly once an alert that changes what Slack shows rather than adding to a channel's messages, on its
 * channel's lane: for an alert with {@code updatesAlertId}, the message posted for that alert changed in place
 * ({@code chat.update}); for an {@code ephemeral} alert, a message only its {@code slackUserId} sees
 * ({@code chat.postEphemeral}). Such an alert is never folded into a digest itself. When the message to update is unknown or
 * cannot be changed, the alert is posted as a new message of its own, with the same protocol as {@link AlertJob}.
 * <ol>
 * <li>CHECK: SENT or FAILED in the ledger → done (a duplicate); PENDING → VERIFY (an ephemeral alert cannot be looked
 * up: it is sent again or given up, as {@code repost-unverifiable} says); unknown → write PENDING (acked) → POST,
 * LOCATE or EPHEMERAL.</li>
 * <li>VERIFY (an earlier attempt may have reached Slack): look for the message carrying the alert id in its metadata
 * in the channel's history ({@code conversations.history}, from the PENDING time minus a look-back); found → record
 * SENT with its {@code ts}; not found → POST (an update → LOCATE).</li>
 * <li>LOCATE (an update): the message of {@code updatesAlertId} from the ledger's SENT marker (channel, ts); when the
 * ledger has no such marker, the channel's history, by the metadata the message was posted with; nowhere, or
 * FAILED → POST a new message instead.</li>
 * <li>UPDATE ({@code chat.update}) → RECORD_SENT with the updated message's ts. When the message is a digest (the
 * ledger has other alerts at its ts), only this lead's buttons change: the message is read as Slack has it
 * ({@code conversations.history}, one message) and written back with that lead's buttons replaced by this alert's
 * title; a digest that no longer shows the lead → POST. Replaying it changes nothing, so
 * unclear answers are simply retried; {@code message_not_found}, {@code cant_update_message},
 * {@code edit_window_closed} → POST a new message instead.</li>
 * <li>POST ({@code chat.postMessage}, after a rate-limiter permit) → RECORD_SENT. 429 → the channel waits
 * {@code Retry-After}; retryable errors back off; errors that leave it unclear whether Slack posted (5xx,
 * {@code internal_error}, timeouts) back off to VERIFY; permanent errors → FAIL.</li>
 * <li>EPHEMERAL ({@code chat.postEphemeral} to {@code slackUserId} in the channel) → RECORD_SENT with its
 * {@code message_ts}. An unclear answer cannot be checked: retried or given up, as {@code repost-unverifiable} says.</li>
 * <li>RECORD_SENT: write SENT with Slack's {@code ts} (retried until the broker takes it; never re-posts).</li>
 * <li>FAIL: the record to {@code rep.alerts.dlt} with the Slack error, then a FAILED marker.</li>
 * </ol>
 */
final class ChangeJob implements LaneJob {

    private static final Logger log = LoggerFactory.getLogger(ChangeJob.class);

    enum State { CHECK, VERIFY, LOCATE, UPDATE, POST, EPHEMERAL, RECORD_SENT, FAIL, FINISHED }

    /** Answers to {@code chat.update} that mean the message cannot be changed, so a new one is posted instead. */
    private static final Set<String> ORIGINAL_UNUSABLE = Set.of("message_not_found", "cant_update_message",
            "edit_window_closed");

    private final AlertJob.Collaborators c;
    private final ConsumerRecord<String, RepAlert> record;
    private final RepAlert alert;
    private final String channel;
    private final BooleanSupplier stillOwned;
    private final Runnable onDone;
    private final DeliveryMode mode;

    private State state;
    /** The message an update changes, once located. */
    private SlackPost target;
    /** The conversation id ({@code D...} for a user) an ephemeral alert goes to, once known. */
    private String conversation;
    /** What the last write to Slack did, for the log. */
    private String how = POSTED;
    private static final String POSTED = "posted to";
    private static final String UPDATED = "updated in";
    private static final String SHOWN = "shown ephemerally in";
    private final Attempts attempts;
    private Instant pendingSince;
    private ObjectNode payload;
    private SlackPost posted;
    private Instant answeredAt;
    private boolean recovered;
    private RuntimeException failure;
    private boolean deadLettered;

    ChangeJob(AlertJob.Collaborators collaborators, ConsumerRecord<String, RepAlert> record, String channel, BooleanSupplier stillOwned,
             Runnable onDone) {
        this.c = collaborators;
        this.attempts = new Attempts(collaborators.delivery());
        this.record = record;
        this.alert = record.value();
        this.channel = channel;
        this.stillOwned = stillOwned;
        this.onDone = onDone;
        this.mode = DeliveryMode.of(alert);
        if (mode == DeliveryMode.POST) {
            throw new IllegalArgumentException("Alert " + alert.getAlertId() + " neither updates a message nor is ephemeral");
        }
        if (channel == null) {
            failure = new DeliveryFailure("no_destination", "no_destination: alert " + alert.getAlertId()
                    + " names no channel, its kind " + alert.getKind() + " has none configured and the rep has no Slack user id", null);
            state = State.FAIL;
        } else if (mode == DeliveryMode.EPHEMERAL && isBlank(alert.getSlackUserId())) {
            failure = new DeliveryFailure("no_destination", "no_destination: ephemeral alert " + alert.getAlertId()
                    + " names no Slack user id to show it to", null);
            state = State.FAIL;
        } else {
            state = State.CHECK;
        }
    }

    DeliveryMode mode() {
        return mode;
    }

    State state() {
        return state;
    }

    @Override
    public boolean nextStepPosts() {
        return state == State.POST;
    }

    @Override
    public boolean nextStepWritesToSlack() {
        return state == State.POST || state == State.UPDATE || state == State.EPHEMERAL;
    }

    @Override
    public Step runStep() {
        return switch (state) {
            case CHECK -> check();
            case VERIFY -> verify();
            case LOCATE -> locate();
            case UPDATE -> update();
            case POST -> post();
            case EPHEMERAL -> ephemeral();
            case RECORD_SENT -> recordSent();
            case FAIL -> fail();
            case FINISHED -> Step.DONE;
        };
    }

    private Step check() {
        if (!stillOwned.getAsBoolean()) {
            return finish();
        }
        if (!c.ledger().isReady() || !c.erased().ready()) {
            return attempts.infraBackoff(); // never post before knowing what was posted already, and who was erased
        }
        if (c.erased().skips(alert)) {
            return finish(); // about a person erased since: never posted again
        }
        Optional<SentAlert> known = c.ledger().find(alert.getAlertId());
        if (known.isPresent()) {
            SentStatus status = SentStatus.of(known.get().getStatus());
            if (status.isFinal()) {
                log.info("Alert {} already {} (Slack ts {}); not posting it again", alert.getAlertId(), status, known.get().getSlackTs());
                c.metrics().outcome(alert.getKind(), DeliveryMetrics.Outcome.DUPLICATE);
                return finish();
            }
            pendingSince = known.get().getAt();
            if (mode == DeliveryMode.EPHEMERAL) {
                // Slack keeps no ephemeral message anyone could look up: whether it was shown cannot be checked.
                return unverifiable(new SlackApiException("chat.postEphemeral", "unverifiable", SlackErrorClass.UNCERTAIN, null, null));
            }
            log.info("Alert {} was being sent when the notifier stopped; checking Slack before sending it", alert.getAlertId());
            state = State.VERIFY;
            return Step.CONTINUE;
        }
        Instant now = c.clock().instant();
        if (!writeMarker(SentStatus.PENDING, channel, null, now)) {
            return attempts.infraBackoff();
        }
        pendingSince = now;
        state = firstWrite();
        return Step.CONTINUE;
    }

    private State firstWrite() {
        return switch (mode) {
            case POST -> State.POST;
            case UPDATE -> State.LOCATE;
            case EPHEMERAL -> State.EPHEMERAL;
        };
    }

    private Step verify() {
        if (!stillOwned.getAsBoolean()) {
            return finish();
        }
        try {
            String conversation = ChannelResolver.isUserId(channel) ? c.slack().openDirectMessage(channel) : channel;
            Optional<String> ts = c.slack().findAlertMessage(conversation, alert.getAlertId(),
                    pendingSince.minus(c.recovery().lookBack()), c.recovery().historyLimit(), c.recovery().maxPages());
            if (ts.isPresent()) {
                log.info("Alert {} is already in Slack (ts {}); recording it as sent", alert.getAlertId(), ts.get());
                posted = new SlackPost(conversation, ts.get());
                recovered = true;
                state = State.RECORD_SENT;
            } else {
                state = target == null && mode == DeliveryMode.UPDATE ? State.LOCATE : State.POST;
            }
            return Step.CONTINUE;
        } catch (SlackApiException e) {
            return attempts.afterFailedRead(e, () -> unverifiable(e));
        }
    }

    /** Finds the message of {@code updatesAlertId}: the ledger's record of it, else the channel's history. */
    private Step locate() {
        if (!stillOwned.getAsBoolean()) {
            return finish();
        }
        String originalId = alert.getUpdatesAlertId();
        Optional<SentAlert> original = c.ledger().find(originalId);
        SentStatus status = original.map(m -> SentStatus.of(m.getStatus())).orElse(null);
        if (status == SentStatus.SENT && !isBlank(original.get().getSlackTs()) && !isBlank(original.get().getChannel())) {
            target = new SlackPost(original.get().getChannel(), original.get().getSlackTs());
        } else if (status == SentStatus.FAILED) {
            log.info("Alert {} updates alert {}, which never reached Slack; posting it as a new message", alert.getAlertId(), originalId);
            state = State.POST;
            return Step.CONTINUE;
        } else {
            String where = original.map(SentAlert::getChannel).filter(ch -> !isBlank(ch)).orElse(channel);
            Instant from = original.map(SentAlert::getAt).map(at -> at.minus(c.recovery().lookBack()))
                    .orElseGet(() -> alert.getCreatedAt().minus(c.recovery().updateLookBack()));
            try {
                String searched = ChannelResolver.isUserId(where) ? c.slack().openDirectMessage(where) : where;
                Optional<String> ts = c.slack().findAlertMessage(searched, originalId, from, c.recovery().historyLimit(),
                        c.recovery().maxPages());
                if (ts.isPresent()) {
                    target = new SlackPost(searched, ts.get());
                }
            } catch (SlackApiException e) {
                if (e.isRateLimited()) {
                    return Attempts.rateLimited(e);
                }
                if (!e.isPermanent() && !attempts.slackExhausted()) {
                    return attempts.slackBackoff();
                }
                log.warn("Cannot read Slack's history for the message of alert {} ({}); posting alert {} as a new message",
                        originalId, e.error(), alert.getAlertId());
                attempts.slack = 0;
            }
            if (target == null) {
                log.info("Alert {} updates alert {}, whose message is unknown; posting it as a new message", alert.getAlertId(), originalId);
                state = State.POST;
                return Step.CONTINUE;
            }
        }
        state = State.UPDATE;
        return Step.CONTINUE;
    }

    private Step update() {
        if (!stillOwned.getAsBoolean()) {
            return finish();
        }
        try {
            if (ChannelResolver.isUserId(target.channel())) {
                target = new SlackPost(c.slack().openDirectMessage(target.channel()), target.ts()); // chat.update needs the DM's id
            }
            ObjectNode body;
            if (c.ledger().postedInDigest(alert.getUpdatesAlertId())) {
                // a digest lists other leads too: change this lead's buttons alone, on the message as Slack has it now
                SlackPost at = target;
                Optional<ObjectNode> line = c.slack().message(at.channel(), at.ts())
                        .flatMap(message -> c.templates().digestUpdate(at.channel(), at.ts(), message, alert.getUpdatesAlertId(), alert));
                if (line.isEmpty()) {
                    log.info("The digest that listed alert {} no longer shows it; posting alert {} as a new message",
                            alert.getUpdatesAlertId(), alert.getAlertId());
                    attempts.slack = 0;
                    state = State.POST;
                    return Step.CONTINUE;
                }
                body = line.get();
            } else {
                body = c.templates().update(target.channel(), target.ts(), alert, c.deals().hubspotLink(alert));
            }
            SlackPost updated = c.slack().update(body);
            posted = new SlackPost(isBlank(updated.channel()) ? target.channel() : updated.channel(),
                    isBlank(updated.ts()) ? target.ts() : updated.ts());
            how = UPDATED;
            answeredAt = c.clock().instant();
            state = State.RECORD_SENT;
            return Step.CONTINUE;
        } catch (SlackApiException e) {
            if (e.isRateLimited()) {
                return Attempts.rateLimited(e);
            }
            if (ORIGINAL_UNUSABLE.contains(e.error())) {
                log.info("Slack cannot update the message of alert {} ({}); posting alert {} as a new message",
                        alert.getUpdatesAlertId(), e.error(), alert.getAlertId());
                attempts.slack = 0;
                state = State.POST;
                return Step.CONTINUE;
            }
            if (e.isPermanent() || attempts.slackExhausted()) {
                return failWith(e);
            }
            log.warn("Slack answered {} to the update of alert {}; retrying", e.error(), alert.getAlertId());
            return attempts.slackBackoff(); // the same update again leaves the message as it would have been
        }
    }

    private Step ephemeral() {
        if (!stillOwned.getAsBoolean()) {
            return finish();
        }
        try {
            if (conversation == null) {
                conversation = ChannelResolver.isUserId(channel) ? c.slack().openDirectMessage(channel) : channel;
            }
            String user = alert.getSlackUserId().trim();
            String ts = c.slack().postEphemeral(c.templates().ephemeral(conversation, user, alert, c.deals().hubspotLink(alert)));
            posted = new SlackPost(conversation, ts);
            how = SHOWN;
            answeredAt = c.clock().instant();
            state = State.RECORD_SENT;
            return Step.CONTINUE;
        } catch (SlackApiException e) {
            return afterSlackError(e, () -> {
                // Slack may have shown it already and keeps nothing to check: sending again may show it twice.
                if (!c.recovery().repostUnverifiable()) {
                    return unverifiable(e);
                }
                log.warn("Slack answered {} to ephemeral alert {}; it may have been shown, sending it again", e.error(), alert.getAlertId());
                return attempts.slackBackoff();
            });
        }
    }

    private Step unverifiable(SlackApiException e) {
        if (c.recovery().repostUnverifiable()) {
            log.warn("Cannot tell whether Slack already has alert {} ({}); sending it again, which may show it twice",
                    alert.getAlertId(), e.error());
            attempts.slack = 0;
            state = firstWrite();
        } else {
            failure = new DeliveryFailure(e.error(), "unverifiable: could not check Slack for alert " + alert.getAlertId()
                    + " (" + e.error() + "); not sending it blind", e);
            state = State.FAIL;
        }
        return Step.CONTINUE;
    }

    private Step post() {
        if (!stillOwned.getAsBoolean()) {
            return finish();
        }
        if (payload == null) {
            payload = c.templates().message(channel, alert, c.deals().hubspotLink(alert));
        }
        try {
            posted = c.slack().postMessage(payload);
            how = POSTED;
            answeredAt = c.clock().instant();
            state = State.RECORD_SENT;
            return Step.CONTINUE;
        } catch (SlackApiException e) {
            return afterSlackError(e, () -> {
                log.warn("Slack answered {} to alert {}; it may have been posted, checking before the next attempt",
                        e.error(), alert.getAlertId());
                state = State.VERIFY;
                return attempts.slackBackoff();
            });
        }
    }

    /**
     * What a Slack error means for the next step: wait out a rate limit, give up on a permanent error or after the last
     * attempt, else try again; {@code whenUncertain} decides for an error after which Slack may have acted.
     */
    private Step afterSlackError(SlackApiException e, Supplier<Step> whenUncertain) {
        if (e.errorClass() == SlackErrorClass.RATE_LIMITED) {
            return Attempts.rateLimited(e);
        }
        if (e.errorClass() == SlackErrorClass.PERMANENT || attempts.slackExhausted()) {
            return failWith(e);
        }
        if (e.errorClass() == SlackErrorClass.UNCERTAIN) {
            return whenUncertain.get();
        }
        log.warn("Slack answered {} to alert {}; retrying", e.error(), alert.getAlertId());
        return attempts.slackBackoff();
    }

    private Step failWith(SlackApiException e) {
        String tries = attempts.slack > 0 ? " after " + attempts.slack + " attempts" : "";
        failure = new DeliveryFailure(e.error(), "Slack " + e.method() + " refused alert " + alert.getAlertId() + tries
                + ": " + e.error(), e);
        state = State.FAIL;
        return Step.CONTINUE;
    }

    private Step recordSent() {
        if (!writeMarker(SentStatus.SENT, posted.channel(), posted.ts(), c.clock().instant())) {
            return attempts.infraBackoff();
        }
        if (recovered) {
            c.metrics().outcome(alert.getKind(), DeliveryMetrics.Outcome.RECOVERED);
        } else {
            c.metrics().outcome(alert.getKind(), how.equals(UPDATED) ? DeliveryMetrics.Outcome.UPDATED : DeliveryMetrics.Outcome.SENT);
            c.metrics().answered(alert.getKind(), alert.getCreatedAt(), alert.getLeadReceivedAt(), answeredAt);
            log.info("Alert {} ({}) {} {} (ts {})", alert.getAlertId(), alert.getKind(), how, posted.channel(), posted.ts());
        }
        return finish();
    }

    private Step fail() {
        if (!deadLettered) {
            try {
                c.deadLetters().accept(record, failure);
                deadLettered = true;
            } catch (RuntimeException e) {
                log.warn("Could not dead-letter alert {}; retrying", alert.getAlertId(), e);
                return attempts.infraBackoff();
            }
        }
        if (!writeMarker(SentStatus.FAILED, channel == null ? "" : channel, null, c.clock().instant())) {
            return attempts.infraBackoff();
        }
        log.warn("Alert {} ({}) dead-lettered: {}", alert.getAlertId(), alert.getKind(), failure.getMessage());
        c.metrics().outcome(alert.getKind(), DeliveryMetrics.Outcome.FAILED);
        return finish();
    }

    private boolean writeMarker(SentStatus status, String markerChannel, String ts, Instant at) {
        try {
            c.ledger().record(SentAlert.newBuilder()
                    .setAlertId(alert.getAlertId())
                    .setChannel(markerChannel)
                    .setStatus(status.name())
                    .setSlackTs(ts)
                    .setAt(at)
                    .setLeadId(alert.getLeadId())
                    .setSubject(c.subjects().of(alert))
                    .build());
            attempts.infra = 0;
            return true;
        } catch (RuntimeException e) {
            log.warn("Could not record {} for alert {}: {}", status, alert.getAlertId(), e.getMessage());
            return false;
        }
    }

    private Step finish() {
        state = State.FINISHED;
        onDone.run();
        return Step.DONE;
    }


    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
