package io.leadflow.notifier.delivery;

import io.leadflow.avro.RepAlert;
import io.leadflow.avro.SentAlert;
import io.leadflow.notifier.deals.DealLinks;
import io.leadflow.notifier.dedupe.SentLedger;
import io.leadflow.notifier.dedupe.SentStatus;
import io.leadflow.notifier.slack.SlackApiException;
import io.leadflow.notifier.slack.SlackClient;
import io.leadflow.notifier.slack.SlackPost;
import io.leadflow.notifier.system.NotifierProperties;
import io.leadflow.notifier.templates.Templates;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Delivers one alert exactly once, as a small state machine run step by step on its channel's lane:
 * <ol>
 * <li>CHECK: SENT or FAILED in the ledger → done (a duplicate); PENDING → VERIFY; unknown → write PENDING (acked)
 * → POST.</li>
 * <li>VERIFY (an earlier attempt may have reached Slack): look for the message carrying the alert id in its metadata
 * in the channel's history ({@code conversations.history}, from the PENDING time minus a look-back); found → record
 * SENT with its {@code ts}; not found → POST.</li>
 * <li>POST ({@code chat.postMessage}, after a rate-limiter permit) → RECORD_SENT. 429 → the channel waits
 * {@code Retry-After}; retryable errors back off; errors that leave it unclear whether Slack posted (5xx,
 * {@code internal_error}, timeouts) back off to VERIFY; permanent errors → FAIL.</li>
 * <li>RECORD_SENT: write SENT with Slack's {@code ts} (retried until the broker takes it; never re-posts).</li>
 * <li>FAIL: the record to {@code rep.alerts.dlt} with the Slack error, then a FAILED marker.</li>
 * </ol>
 */
final class AlertJob implements LaneJob {

    private static final Logger log = LoggerFactory.getLogger(AlertJob.class);

    enum State { CHECK, VERIFY, POST, RECORD_SENT, FAIL, FINISHED }

    record Collaborators(SlackClient slack, Templates templates, DealLinks deals, SentLedger ledger,
                         ConsumerRecordRecoverer deadLetters, NotifierProperties.Delivery delivery,
                         NotifierProperties.Recovery recovery, DeliveryMetrics metrics, Clock clock) {
    }

    private final Collaborators c;
    private final ConsumerRecord<String, RepAlert> record;
    private final RepAlert alert;
    private final String channel;
    private final BooleanSupplier stillOwned;
    private final Runnable onDone;

    private State state;
    private int slackAttempts;
    private int infraAttempts;
    private Instant pendingSince;
    private ObjectNode payload;
    private SlackPost posted;
    private Instant answeredAt;
    private boolean recovered;
    private RuntimeException failure;
    private boolean deadLettered;

    AlertJob(Collaborators collaborators, ConsumerRecord<String, RepAlert> record, String channel, BooleanSupplier stillOwned,
             Runnable onDone) {
        this.c = collaborators;
        this.record = record;
        this.alert = record.value();
        this.channel = channel;
        this.stillOwned = stillOwned;
        this.onDone = onDone;
        if (channel == null) {
            failure = new DeliveryFailure("no_destination", "no_destination: alert " + alert.getAlertId()
                    + " names no channel, its kind " + alert.getKind() + " has none configured and the rep has no Slack user id", null);
            state = State.FAIL;
        } else {
            state = State.CHECK;
        }
    }

    State state() {
        return state;
    }

    @Override
    public boolean nextStepPosts() {
        return state == State.POST;
    }

    @Override
    public Step runStep() {
        return switch (state) {
            case CHECK -> check();
            case VERIFY -> verify();
            case POST -> post();
            case RECORD_SENT -> recordSent();
            case FAIL -> fail();
            case FINISHED -> Step.DONE;
        };
    }

    private Step check() {
        if (!stillOwned.getAsBoolean()) {
            return finish();
        }
        if (!c.ledger().isReady()) {
            return infraBackoff(); // never post before knowing what was posted already
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
            log.info("Alert {} was being posted when the notifier stopped; checking Slack before posting", alert.getAlertId());
            state = State.VERIFY;
            return Step.CONTINUE;
        }
        Instant now = c.clock().instant();
        if (!writeMarker(SentStatus.PENDING, channel, null, now)) {
            return infraBackoff();
        }
        pendingSince = now;
        state = State.POST;
        return Step.CONTINUE;
    }

    private Step verify() {
        if (!stillOwned.getAsBoolean()) {
            return finish();
        }
        try {
            String conversation = isUserId(channel) ? c.slack().openDirectMessage(channel) : channel;
            Optional<String> ts = c.slack().findAlertMessage(conversation, alert.getAlertId(),
                    pendingSince.minus(c.recovery().lookBack()), c.recovery().historyLimit(), c.recovery().maxPages());
            if (ts.isPresent()) {
                log.info("Alert {} is already in Slack (ts {}); recording it as sent", alert.getAlertId(), ts.get());
                posted = new SlackPost(conversation, ts.get());
                recovered = true;
                state = State.RECORD_SENT;
            } else {
                state = State.POST;
            }
            return Step.CONTINUE;
        } catch (SlackApiException e) {
            if (e.isRateLimited()) {
                return new Step.RateLimited(e.retryAfter().orElse(Duration.ofSeconds(1)));
            }
            if (e.isPermanent() || ++slackAttempts >= c.delivery().maxAttempts()) {
                return unverifiable(e);
            }
            return slackBackoff();
        }
    }

    private Step unverifiable(SlackApiException e) {
        if (c.recovery().repostUnverifiable()) {
            log.warn("Cannot tell whether Slack already has alert {} ({}); posting it again, which may show it twice",
                    alert.getAlertId(), e.error());
            slackAttempts = 0;
            state = State.POST;
        } else {
            failure = new DeliveryFailure(e.error(), "unverifiable: could not check Slack for alert " + alert.getAlertId()
                    + " (" + e.error() + "); not posting it blind", e);
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
            answeredAt = c.clock().instant();
            state = State.RECORD_SENT;
            return Step.CONTINUE;
        } catch (SlackApiException e) {
            switch (e.errorClass()) {
                case RATE_LIMITED -> {
                    return new Step.RateLimited(e.retryAfter().orElse(Duration.ofSeconds(1)));
                }
                case PERMANENT -> {
                    return failWith(e);
                }
                case UNCERTAIN -> {
                    if (++slackAttempts >= c.delivery().maxAttempts()) {
                        return failWith(e);
                    }
                    log.warn("Slack answered {} to alert {}; it may have been posted, checking before the next attempt",
                            e.error(), alert.getAlertId());
                    state = State.VERIFY;
                    return slackBackoff();
                }
                default -> {
                    if (++slackAttempts >= c.delivery().maxAttempts()) {
                        return failWith(e);
                    }
                    log.warn("Slack answered {} to alert {}; retrying", e.error(), alert.getAlertId());
                    return slackBackoff();
                }
            }
        }
    }

    private Step failWith(SlackApiException e) {
        String attempts = slackAttempts > 0 ? " after " + slackAttempts + " attempts" : "";
        failure = new DeliveryFailure(e.error(), "Slack " + e.method() + " refused alert " + alert.getAlertId() + attempts
                + ": " + e.error(), e);
        state = State.FAIL;
        return Step.CONTINUE;
    }

    private Step recordSent() {
        if (!writeMarker(SentStatus.SENT, posted.channel(), posted.ts(), c.clock().instant())) {
            return infraBackoff();
        }
        if (recovered) {
            c.metrics().outcome(alert.getKind(), DeliveryMetrics.Outcome.RECOVERED);
        } else {
            c.metrics().outcome(alert.getKind(), DeliveryMetrics.Outcome.SENT);
            c.metrics().answered(alert.getKind(), alert.getCreatedAt(), alert.getLeadReceivedAt(), answeredAt);
            log.info("Alert {} ({}) posted to {} (ts {})", alert.getAlertId(), alert.getKind(), posted.channel(), posted.ts());
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
                return infraBackoff();
            }
        }
        if (!writeMarker(SentStatus.FAILED, channel == null ? "" : channel, null, c.clock().instant())) {
            return infraBackoff();
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
                    .build());
            infraAttempts = 0;
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

    private Step slackBackoff() {
        return new Step.Backoff(backoff(slackAttempts));
    }

    private Step infraBackoff() {
        return new Step.Backoff(backoff(++infraAttempts));
    }

    private Duration backoff(int attempt) {
        Duration delay = c.delivery().retryInitial().multipliedBy(1L << Math.min(Math.max(attempt - 1, 0), 20));
        return delay.compareTo(c.delivery().retryMax()) > 0 ? c.delivery().retryMax() : delay;
    }

    /** User ids ({@code U...}, {@code W...}) post to the DM; history must be read from the DM's own id. */
    private static boolean isUserId(String channel) {
        return channel.startsWith("U") || channel.startsWith("W");
    }
}
