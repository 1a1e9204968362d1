package io.leadflow.notifier.delivery;

import io.leadflow.avro.AlertKind;
import io.leadflow.avro.AlertLink;
import io.leadflow.avro.RepAlert;
import io.leadflow.avro.SentAlert;
import io.leadflow.notifier.privacy.AlertSubjects;
import io.leadflow.notifier.privacy.ErasedPeople;
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
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Delivers its alerts exactly once, as a small state machine run step by step on their channel's lane. A job starts
 * with one alert; a new-lead job that has not started takes in every other new lead waiting on its lane
 * ({@link #coalesce}) and posts them as one digest message (one line per lead, newest first; several messages only
 * when Slack's limits require it). The protocol is the same for one alert and for many, alert by alert:
 * <ol>
 * <li>CHECK: SENT or FAILED in the ledger → done (a duplicate); PENDING → VERIFY first; unknown → to be posted.</li>
 * <li>VERIFY (an earlier attempt may have reached Slack): look for the messages carrying the alert ids in their
 * metadata in the channel's history ({@code conversations.history}, from the PENDING time minus a look-back); found →
 * RECORD_FOUND (SENT with that message's {@code ts}); not found → posted.</li>
 * <li>PLAN: one message for a lone alert (its kind's template), else digest messages, the newest leads first.</li>
 * <li>PENDING: write PENDING for every alert of the next message (acked), then POST.</li>
 * <li>POST ({@code chat.postMessage}, after the channel's token) → RECORD_SENT. 429 → the channel waits
 * {@code Retry-After}; retryable errors back off; errors that leave it unclear whether Slack posted (5xx,
 * {@code internal_error}, timeouts) back off to VERIFY; a digest Slack finds too long is split in two; other permanent
 * errors → FAIL.</li>
 * <li>RECORD_SENT: write SENT with Slack's {@code ts} for every alert of the message (retried until the broker takes
 * them; never re-posts), then the next message.</li>
 * <li>FAIL: the records to {@code rep.alerts.dlt} with the Slack error, then FAILED markers.</li>
 * </ol>
 */
final class AlertJob implements LaneJob {

    private static final Logger log = LoggerFactory.getLogger(AlertJob.class);

    /** Slack's answers to a message that is too large: a digest is then split rather than given up. */
    private static final Set<String> TOO_LARGE = Set.of("msg_blocks_too_long", "msg_too_long", "invalid_blocks");

    enum State { CHECK, VERIFY, RECORD_FOUND, PLAN, PENDING, POST, RECORD_SENT, FAIL, FINISHED }

    record Collaborators(SlackClient slack, Templates templates, DealLinks deals, SentLedger ledger,
                         ConsumerRecordRecoverer deadLetters, NotifierProperties.Delivery delivery,
                         NotifierProperties.Recovery recovery, NotifierProperties.Digest digest, DeliveryMetrics metrics,
                         Clock clock, AlertSubjects subjects, ErasedPeople erased) {
    }

    /** One alert of the job: its record, whether its partition is still ours, and whom to tell when it is finished. */
    private static final class Member {
        final ConsumerRecord<String, RepAlert> record;
        final RepAlert alert;
        final BooleanSupplier stillOwned;
        final Runnable onDone;
        final long sequence;
        Instant pendingSince;
        boolean deadLettered;

        Member(ConsumerRecord<String, RepAlert> record, BooleanSupplier stillOwned, Runnable onDone, long sequence) {
            this.record = record;
            this.alert = record.value();
            this.stillOwned = stillOwned;
            this.onDone = onDone;
            this.sequence = sequence;
        }

        String id() {
            return alert.getAlertId();
        }

        Instant receivedAt() {
            return alert.getLeadReceivedAt() != null ? alert.getLeadReceivedAt() : alert.getCreatedAt();
        }
    }

    /** One message to post: its alerts (newest first) and, once built, its body. */
    private static final class Part {
        final List<Member> members;
        final boolean digest;
        ObjectNode payload;

        Part(List<Member> members, boolean digest, ObjectNode payload) {
            this.members = new ArrayList<>(members);
            this.digest = digest;
            this.payload = payload;
        }
    }

    /** Newest lead first; among equals, the later record first. */
    private static final Comparator<Member> NEWEST_FIRST = Comparator
            .comparing(Member::receivedAt, Comparator.nullsLast(Comparator.<Instant>reverseOrder()))
            .thenComparing(Comparator.comparingLong((Member m) -> m.sequence).reversed());

    private final Collaborators c;
    private final String channel;
    private final List<Member> members = new ArrayList<>();
    private final List<Member> fresh = new ArrayList<>();
    private final List<Member> doubtful = new ArrayList<>();
    private final Map<Member, SlackPost> found = new LinkedHashMap<>();
    private final Deque<Part> parts = new ArrayDeque<>();

    private State state;
    private boolean started;
    private State afterVerify;
    private final Attempts attempts;
    private SlackPost posted;
    private Instant answeredAt;
    private List<Member> failing = List.of();
    private RuntimeException failure;
    private State afterFail;

    AlertJob(Collaborators collaborators, ConsumerRecord<String, RepAlert> record, String channel, BooleanSupplier stillOwned,
             Runnable onDone, long sequence) {
        this.c = collaborators;
        this.attempts = new Attempts(collaborators.delivery());
        this.channel = channel;
        Member member = new Member(record, stillOwned, onDone, sequence);
        members.add(member);
        if (channel == null) {
            failWith(List.of(member), new DeliveryFailure("no_destination", "no_destination: alert " + member.id()
                    + " names no channel, its kind " + member.alert.getKind() + " has none configured and the rep has no Slack user id",
                    null), State.FINISHED);
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

    /**
     * A new lead not started yet, when digests are on. One with buttons (Accept, Pass) keeps them in a digest, below its
     * own line, and the alerts that answer a click change that lead's blocks alone ({@link ChangeJob}).
     */
    @Override
    public boolean coalescible() {
        return !started && state == State.CHECK && c.digest().enabled() && members.size() == 1
                && members.get(0).alert.getKind() == AlertKind.NEW_LEAD;
    }

    @Override
    public void coalesce(List<LaneJob> others) {
        started = true;
        for (LaneJob other : others) {
            AlertJob job = (AlertJob) other;
            job.started = true;
            members.addAll(job.members);
            job.members.clear();
        }
        if (!others.isEmpty()) {
            log.debug("{} new leads waiting for {}; posting them as one digest", members.size(), channel);
        }
    }

    @Override
    public Step runStep() {
        started = true;
        return switch (state) {
            case CHECK -> check();
            case VERIFY -> verify();
            case RECORD_FOUND -> recordFound();
            case PLAN -> plan();
            case PENDING -> pending();
            case POST -> post();
            case RECORD_SENT -> recordSent();
            case FAIL -> fail();
            case FINISHED -> Step.DONE;
        };
    }

    private Step check() {
        dropUnowned(members);
        if (members.isEmpty()) {
            return finishJob();
        }
        if (!c.ledger().isReady() || !c.erased().ready()) {
            return attempts.infraBackoff(); // never post before knowing what was posted already, and who was erased
        }
        Map<String, Member> byId = new LinkedHashMap<>();
        for (Member member : List.copyOf(members)) {
            if (c.erased().skips(member.alert)) {
                finish(member); // about a person erased since: never posted again
                continue;
            }
            if (byId.putIfAbsent(member.id(), member) != null) {
                duplicate(member, "delivered twice");
                continue;
            }
            Optional<SentAlert> known = c.ledger().find(member.id());
            if (known.isEmpty()) {
                fresh.add(member);
            } else if (SentStatus.of(known.get().getStatus()).isFinal()) {
                duplicate(member, "already " + known.get().getStatus() + " (Slack ts " + known.get().getSlackTs() + ")");
            } else {
                member.pendingSince = known.get().getAt();
                doubtful.add(member);
                log.info("Alert {} was being posted when the notifier stopped; checking Slack before posting", member.id());
            }
        }
        if (!doubtful.isEmpty()) {
            afterVerify = State.PLAN;
            state = State.VERIFY;
        } else {
            state = State.PLAN;
        }
        return Step.CONTINUE;
    }

    private Step verify() {
        dropUnowned(doubtful);
        if (doubtful.isEmpty()) {
            return afterVerification();
        }
        try {
            String conversation = ChannelResolver.isUserId(channel) ? c.slack().openDirectMessage(channel) : channel;
            Instant oldest = doubtful.stream().map(m -> m.pendingSince).filter(Objects::nonNull)
                    .min(Comparator.naturalOrder()).orElse(c.clock().instant()).minus(c.recovery().lookBack());
            Set<String> ids = new LinkedHashSet<>();
            doubtful.forEach(m -> ids.add(m.id()));
            Map<String, String> inSlack = c.slack().findAlertMessages(conversation, ids, oldest,
                    c.recovery().historyLimit(), c.recovery().maxPages());
            for (Member member : List.copyOf(doubtful)) {
                String ts = inSlack.get(member.id());
                if (ts != null) {
                    log.info("Alert {} is already in Slack (ts {}); recording it as sent", member.id(), ts);
                    found.put(member, new SlackPost(conversation, ts));
                    doubtful.remove(member);
                }
            }
            attempts.slack = 0;
            return found.isEmpty() ? afterVerification() : next(State.RECORD_FOUND);
        } catch (SlackApiException e) {
            return attempts.afterFailedRead(e, () -> unverifiable(e));
        }
    }

    private Step unverifiable(SlackApiException e) {
        attempts.slack = 0;
        if (c.recovery().repostUnverifiable()) {
            doubtful.forEach(m -> log.warn("Cannot tell whether Slack already has alert {} ({}); posting it again, which may show it twice",
                    m.id(), e.error()));
            return afterVerification();
        }
        List<Member> unverified = List.copyOf(doubtful);
        doubtful.clear();
        String ids = unverified.size() == 1 ? "alert " + unverified.get(0).id() : unverified.size() + " alerts";
        return failWith(unverified, new DeliveryFailure(e.error(), "unverifiable: could not check Slack for " + ids
                + " (" + e.error() + "); not posting blind", e), afterVerify);
    }

    /** Alerts still doubtful were not found: new ones go to PLAN, those of a message already planned are posted again. */
    private Step afterVerification() {
        if (afterVerify == State.PLAN) {
            fresh.addAll(doubtful);
        }
        doubtful.clear();
        return afterVerify == State.PLAN ? next(State.PLAN) : resumePart();
    }

    private Step recordFound() {
        List<SentAlert> markers = new ArrayList<>();
        found.forEach((member, post) -> markers.add(marker(member, SentStatus.SENT, post.channel(), post.ts())));
        if (!write(markers)) {
            return attempts.infraBackoff();
        }
        found.keySet().forEach(member -> {
            c.metrics().outcome(member.alert.getKind(), DeliveryMetrics.Outcome.RECOVERED);
            removeFromCurrentPart(member);
            finish(member);
        });
        found.clear();
        return afterVerification();
    }

    private Step plan() {
        if (fresh.isEmpty()) {
            return finishJob();
        }
        fresh.sort(NEWEST_FIRST);
        if (fresh.size() == 1) {
            parts.add(new Part(fresh, false, null));
        } else {
            Map<RepAlert, Member> byAlert = new IdentityHashMap<>();
            fresh.forEach(m -> byAlert.put(m.alert, m));
            for (Templates.DigestMessage message : c.templates().digest(channel, items(fresh), c.digest().maxChars())) {
                parts.add(new Part(message.alerts().stream().map(byAlert::get).toList(), true, message.body()));
            }
        }
        fresh.clear();
        return next(State.PENDING);
    }

    private Step pending() {
        Part part = parts.peek();
        dropUnowned(part.members);
        if (part.members.isEmpty()) {
            return nextPart();
        }
        Instant now = c.clock().instant();
        if (!write(part.members.stream().map(m -> marker(m, SentStatus.PENDING, channel, null, now)).toList())) {
            return attempts.infraBackoff();
        }
        part.members.forEach(m -> m.pendingSince = now);
        return next(State.POST);
    }

    private Step post() {
        Part part = parts.peek();
        if (dropUnowned(part.members)) {
            part.payload = null;
        }
        if (part.members.isEmpty()) {
            return nextPart();
        }
        if (part.payload == null) {
            part.payload = part.digest
                    ? c.templates().digest(channel, items(part.members), c.digest().maxChars()).get(0).body()
                    : c.templates().message(channel, part.members.get(0).alert, c.deals().hubspotLink(part.members.get(0).alert));
        }
        try {
            posted = c.slack().postMessage(part.payload);
            answeredAt = c.clock().instant();
            return next(State.RECORD_SENT);
        } catch (SlackApiException e) {
            switch (e.errorClass()) {
                case RATE_LIMITED -> {
                    return Attempts.rateLimited(e);
                }
                case PERMANENT -> {
                    if (part.members.size() > 1 && TOO_LARGE.contains(e.error())) {
                        return split(part, e);
                    }
                    return failPart(part, e);
                }
                case UNCERTAIN -> {
                    if (attempts.slackExhausted()) {
                        return failPart(part, e);
                    }
                    log.warn("Slack answered {} to {}; it may have been posted, checking before the next attempt",
                            e.error(), describe(part));
                    doubtful.addAll(part.members);
                    afterVerify = State.POST;
                    state = State.VERIFY;
                    return attempts.slackBackoff();
                }
                default -> {
                    if (attempts.slackExhausted()) {
                        return failPart(part, e);
                    }
                    log.warn("Slack answered {} to {}; retrying", e.error(), describe(part));
                    return attempts.slackBackoff();
                }
            }
        }
    }

    /** Slack found the digest too large after all: post its newer half, then its older half (both already PENDING). */
    private Step split(Part part, SlackApiException e) {
        int half = part.members.size() / 2;
        log.warn("Slack refused a digest of {} alerts to {} ({}); posting it as two messages", part.members.size(), channel, e.error());
        parts.poll();
        parts.addFirst(new Part(part.members.subList(half, part.members.size()), true, null));
        parts.addFirst(new Part(part.members.subList(0, half), true, null));
        return Step.CONTINUE; // still POST: the alerts are PENDING already
    }

    private Step failPart(Part part, SlackApiException e) {
        String tries = attempts.slack > 0 ? " after " + attempts.slack + " attempts" : "";
        return failWith(List.copyOf(part.members), new DeliveryFailure(e.error(), "Slack " + e.method() + " refused "
                + describe(part) + tries + ": " + e.error(), e), State.POST);
    }

    private Step recordSent() {
        Part part = parts.peek();
        if (!write(part.members.stream().map(m -> marker(m, SentStatus.SENT, posted.channel(), posted.ts())).toList())) {
            return attempts.infraBackoff();
        }
        for (Member member : part.members) {
            c.metrics().outcome(member.alert.getKind(), DeliveryMetrics.Outcome.SENT);
            c.metrics().answered(member.alert.getKind(), member.alert.getCreatedAt(), member.alert.getLeadReceivedAt(), answeredAt);
        }
        if (part.digest) {
            c.metrics().digest(part.members.size());
            log.info("Digest of {} alerts (newest {}) posted to {} (ts {})", part.members.size(), part.members.get(0).id(),
                    posted.channel(), posted.ts());
        } else {
            Member member = part.members.get(0);
            log.info("Alert {} ({}) posted to {} (ts {})", member.id(), member.alert.getKind(), posted.channel(), posted.ts());
        }
        part.members.forEach(this::finish);
        part.members.clear();
        attempts.slack = 0;
        return nextPart();
    }

    private Step fail() {
        for (Member member : failing) {
            if (!member.deadLettered) {
                try {
                    c.deadLetters().accept(member.record, failure);
                    member.deadLettered = true;
                } catch (RuntimeException e) {
                    log.warn("Could not dead-letter alert {}; retrying", member.id(), e);
                    return attempts.infraBackoff();
                }
            }
        }
        if (!write(failing.stream().map(m -> marker(m, SentStatus.FAILED, channel == null ? "" : channel, null)).toList())) {
            return attempts.infraBackoff();
        }
        for (Member member : failing) {
            log.warn("Alert {} ({}) dead-lettered: {}", member.id(), member.alert.getKind(), failure.getMessage());
            c.metrics().outcome(member.alert.getKind(), DeliveryMetrics.Outcome.FAILED);
            removeFromCurrentPart(member);
            finish(member);
        }
        failing = List.of();
        attempts.slack = 0;
        return switch (afterFail) {
            case PLAN -> next(State.PLAN);
            case POST -> resumePart();
            default -> finishJob();
        };
    }

    private Step failWith(List<Member> members, RuntimeException reason, State then) {
        failing = members;
        failure = reason;
        afterFail = then;
        state = State.FAIL;
        return Step.CONTINUE;
    }

    /** Back to the current message: posted again if it still has alerts, else on to the next one. */
    private Step resumePart() {
        Part part = parts.peek();
        if (part == null || part.members.isEmpty()) {
            return nextPart();
        }
        part.payload = null; // rebuilt from the alerts it still holds
        return next(State.POST);
    }

    private Step nextPart() {
        Part done = parts.poll();
        if (done != null && !done.members.isEmpty()) {
            throw new IllegalStateException("A message left with alerts not finished");
        }
        return parts.isEmpty() ? finishJob() : next(State.PENDING);
    }

    private void removeFromCurrentPart(Member member) {
        Part part = parts.peek();
        if (part != null && part.members.remove(member)) {
            part.payload = null;
        }
    }

    /**
     * A digest links a lead to HubSpot only when its deal is known: a contact-search link would double a line's length
     * (and so the messages a burst needs), and the line shows the email to search for.
     */
    private List<Templates.DigestItem> items(List<Member> newestFirst) {
        return newestFirst.stream().map(m -> new Templates.DigestItem(m.alert,
                c.deals().dealUrl(m.alert.getLeadId()).map(url -> new AlertLink("HubSpot deal", url)))).toList();
    }

    private void duplicate(Member member, String why) {
        log.info("Alert {} {}; not posting it again", member.id(), why);
        c.metrics().outcome(member.alert.getKind(), DeliveryMetrics.Outcome.DUPLICATE);
        finish(member);
    }

    /** Members whose partition was revoked are finished without posting: the partition's new owner delivers them. */
    private boolean dropUnowned(List<Member> list) {
        boolean dropped = false;
        for (Member member : List.copyOf(list)) {
            if (!member.stillOwned.getAsBoolean()) {
                list.remove(member);
                finish(member);
                dropped = true;
            }
        }
        return dropped;
    }

    private boolean write(List<SentAlert> markers) {
        if (markers.isEmpty()) {
            return true;
        }
        try {
            c.ledger().recordAll(markers);
            attempts.infra = 0;
            return true;
        } catch (RuntimeException e) {
            log.warn("Could not record {} for {} alert(s) (first {}): {}", markers.get(0).getStatus(), markers.size(),
                    markers.get(0).getAlertId(), e.getMessage());
            return false;
        }
    }

    private SentAlert marker(Member member, SentStatus status, String markerChannel, String ts) {
        return marker(member, status, markerChannel, ts, c.clock().instant());
    }

    private SentAlert marker(Member member, SentStatus status, String markerChannel, String ts, Instant at) {
        return SentAlert.newBuilder()
                .setAlertId(member.id())
                .setChannel(markerChannel)
                .setStatus(status.name())
                .setSlackTs(ts)
                .setAt(at)
                .setLeadId(member.alert.getLeadId())
                .setSubject(c.subjects().of(member.alert))
                .build();
    }

    private void finish(Member member) {
        if (members.remove(member)) {
            member.onDone.run();
        }
    }

    private Step finishJob() {
        List.copyOf(members).forEach(member -> {
            log.error("Alert {} left unfinished by its job; it will be delivered again after a restart", member.id());
            members.remove(member);
        });
        state = State.FINISHED;
        return Step.DONE;
    }

    private Step next(State next) {
        state = next;
        return Step.CONTINUE;
    }

    private static String describe(Part part) {
        return part.members.size() == 1 ? "alert " + part.members.get(0).id()
                : "a digest of " + part.members.size() + " alerts (newest " + part.members.get(0).id() + ")";
    }

}
