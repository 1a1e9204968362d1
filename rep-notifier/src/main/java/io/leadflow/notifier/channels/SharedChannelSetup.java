package io.leadflow.notifier.channels;

import io.leadflow.avro.SentAlert;
import io.leadflow.avro.SharedChannel;
import io.leadflow.avro.SharedChannelStatus;
import io.leadflow.notifier.slack.SlackApiException;
import io.leadflow.notifier.dedupe.SentLedger;
import io.leadflow.notifier.dedupe.SentStatus;
import io.leadflow.notifier.privacy.AlertSubjects;
import io.leadflow.notifier.slack.SlackClient;
import io.leadflow.notifier.slack.SlackPost;
import io.leadflow.notifier.system.NotifierProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Sets up a hands-on lead's shared channel in Slack, the handbook's hands-on step 2: a public channel named after the
 * company ({@code conversations.create}; on {@code name_taken} the next name, {@code -2}, {@code -3}…), the customer
 * contact invited through Slack Connect ({@code conversations.inviteShared}), the owner and the team added
 * ({@code conversations.invite}), a welcome with the agenda posted ({@code chat.postMessage}); then the outcome is recorded
 * on {@code slack.shared-channels}.
 *
 * <p>One channel per company: a later hands-on lead of a company whose channel is open (the company's domain recorded
 * with it) joins that channel instead: its person invited unless already invited there, its owner added, no second
 * welcome. Companies of the same name and another domain get channels of their own ({@code -2}).
 *
 * <p>Once per lead, across restarts and instances: a lead with a recorded outcome is left alone. A crash after the channel
 * was created but before the outcome was recorded is met again as {@code name_taken} on the lead's own name: a channel
 * of that name the bot created and no other lead's record names is this lead's, and the set-up continues in it (members
 * already in are fine, the welcome is looked for before it is posted again).
 *
 * <p>A step Slack refuses for good ({@code not_allowed_token_type}, {@code restricted_action}, {@code not_paid},
 * {@code missing_scope}…) makes the outcome {@code MANUAL}, with Slack's error and what to do by hand; the owner gets a
 * Slack message saying so. Rate limits are waited out ({@code Retry-After}) and other transient failures retried with a
 * back-off, up to the delivery's {@code maxAttempts}; then the call fails and the record is retried by the listener.
 */
class SharedChannelSetup {

    /** The metadata alert id of the welcome in a lead's channel, so a second attempt finds it. */
    static final String WELCOME_ID = "shared-channel:";
    /** The metadata alert id of the owner's message when the channel must be set up by hand. */
    static final String MANUAL_ID = "shared-channel-manual:";

    private static final Logger log = LoggerFactory.getLogger(SharedChannelSetup.class);
    /** Answers meaning the step is done already, by an earlier attempt. */
    private static final Set<String> ALREADY_DONE = Set.of("already_in_channel", "connection_limit_exceeded_pending");

    /** How the set-up waits before trying Slack again. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final SlackClient slack;
    private final SharedChannelLedger ledger;
    private final SentLedger sent;
    private final SharedChannelWording wording;
    private final NotifierProperties.SharedChannels settings;
    private final NotifierProperties.Delivery delivery;
    private final NotifierProperties.Recovery recovery;
    private final Clock clock;
    private final Sleeper sleeper;
    private final AlertSubjects subjects;
    private volatile String botUserId;

    /**
     * @param sent where the welcome and the owner's message are recorded with the lead's id (as alerts are), so an erasure
     *             of the lead's person deletes them with the person's other messages
     */
    SharedChannelSetup(SlackClient slack, SharedChannelLedger ledger, SentLedger sent, SharedChannelWording wording,
                       NotifierProperties properties, AlertSubjects subjects, Clock clock, Sleeper sleeper) {
        this.slack = slack;
        this.subjects = subjects;
        this.ledger = ledger;
        this.sent = sent;
        this.wording = wording;
        this.settings = properties.sharedChannels();
        this.delivery = properties.delivery();
        this.recovery = properties.recovery();
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** A step Slack refused for good. */
    private static final class Refused extends RuntimeException {
        final SlackApiException cause;

        Refused(SlackApiException cause) {
            super(cause.getMessage(), cause, false, false);
            this.cause = cause;
        }
    }

    /** Sets up the lead's channel unless its outcome is recorded already; answers the outcome. */
    SharedChannel setUp(HandsOnLead lead) {
        Optional<SharedChannel> recorded = ledger.find(lead.leadId());
        if (recorded.isPresent()) {
            log.debug("Lead {} has its shared channel already ({})", lead.leadId(), recorded.get().getStatus());
            return recorded.get();
        }
        Optional<SharedChannel> account = lead.domain() == null || lead.domain().isBlank() ? Optional.empty() : ledger.ofAccount(lead.domain());
        if (account.isPresent()) {
            return join(lead, account.get());
        }
        String base = ChannelNames.base(lead.company(), lead.domain(), lead.leadId());
        String channelId = null;
        String name = null;
        boolean resumed = false;
        try {
            for (int attempt = 1; attempt <= settings.maxNameAttempts() && channelId == null; attempt++) {
                String candidate = ChannelNames.candidate(settings.prefix(), base, attempt);
                try {
                    channelId = call(() -> slack.createChannel(candidate));
                    name = candidate;
                } catch (Refused refused) {
                    if (!"name_taken".equals(refused.cause.error())) {
                        throw refused;
                    }
                    Optional<SlackClient.Channel> ours = ownChannel(candidate, lead.leadId());
                    if (ours.isPresent()) {
                        channelId = ours.get().id();
                        name = candidate;
                        resumed = true;
                        log.info("Lead {}: continuing in channel {} created before a restart", lead.leadId(), channelId);
                    }
                }
            }
            if (channelId == null) {
                return manual(lead, null, null, "name_taken", "conversations.create", null);
            }
            String channel = channelId;
            if (lead.customerEmail() == null || lead.customerEmail().isBlank()) {
                return manual(lead, channelId, name, "no_email", "conversations.inviteShared", null);
            }
            inviteCustomer(lead, channel);
            addMembers(lead, channel);
            welcome(lead, channel, name, resumed);
        } catch (Refused refused) {
            SlackApiException e = refused.cause;
            return manual(lead, channelId, name, e.error(), e.method(), e.needed().orElse(null));
        }
        SharedChannel open = outcome(lead, SharedChannelStatus.OPEN, channelId, name, null, null);
        ledger.recordInvited(subjects.ofEmail(lead.customerEmail()), open);
        if (lead.domain() != null && !lead.domain().isBlank()) {
            ledger.recordAccount(lead.domain(), open);
        }
        ledger.record(open);
        log.info("Lead {} has its shared channel {} ({})", lead.leadId(), name, channelId);
        return open;
    }

    /**
     * A later hands-on lead of a company whose channel is open (the same person's booking after their form, an email, a
     * colleague): it joins that channel. Its person is invited unless already invited there, its owner and the team are
     * added; the channel's welcome is not posted again.
     */
    private SharedChannel join(HandsOnLead lead, SharedChannel account) {
        String channel = account.getChannelId();
        try {
            if (!ledger.invited(channel, subjects.ofEmail(lead.customerEmail()))) {
                if (lead.customerEmail() == null || lead.customerEmail().isBlank()) {
                    return manual(lead, channel, account.getName(), "no_email", "conversations.inviteShared", null);
                }
                inviteCustomer(lead, channel);
            }
            addMembers(lead, channel);
        } catch (Refused refused) {
            SlackApiException e = refused.cause;
            return manual(lead, channel, account.getName(), e.error(), e.method(), e.needed().orElse(null));
        }
        SharedChannel open = outcome(lead, SharedChannelStatus.OPEN, channel, account.getName(), null, null);
        ledger.recordInvited(subjects.ofEmail(lead.customerEmail()), open);
        ledger.record(open);
        log.info("Lead {} joins its company's shared channel {} ({}), set up for lead {}", lead.leadId(), account.getName(), channel,
                account.getLeadId());
        return open;
    }

    private void inviteCustomer(HandsOnLead lead, String channel) {
        doneOrRefused(() -> slack.inviteShared(channel, lead.customerEmail(), settings.externalLimited()));
    }

    /** Adds the lead's owner and the configured team to the channel (members already in are fine). */
    private void addMembers(HandsOnLead lead, String channel) {
        List<String> members = new ArrayList<>();
        if (lead.ownerSlackUserId() != null && !lead.ownerSlackUserId().isBlank()) {
            members.add(lead.ownerSlackUserId().trim());
        }
        settings.team().stream().filter(id -> !members.contains(id)).forEach(members::add);
        if (!members.isEmpty()) {
            List<String> skipped = doneOrRefused(() -> slack.invite(channel, members));
            if (skipped != null && !skipped.isEmpty()) {
                log.warn("Lead {}: Slack did not add some members to {}: {}", lead.leadId(), channel, skipped);
            }
        }
    }

    /** A channel of this name the bot created and no other lead's record names: this lead's, from before a restart. */
    private Optional<SlackClient.Channel> ownChannel(String name, String leadId) {
        Optional<SlackClient.Channel> found = call(() -> slack.findChannel(name, 200, 20));
        return found.filter(c -> c.creator().equals(botUserId()) && !ledger.claimedByAnotherLead(c.id(), leadId));
    }

    private String botUserId() {
        String id = botUserId;
        if (id == null) {
            id = call(slack::botUserId);
            botUserId = id;
        }
        return id;
    }

    private void welcome(HandsOnLead lead, String channel, String name, boolean resumed) {
        String alertId = WELCOME_ID + lead.leadId();
        if (resumed && posted(channel, alertId, lead)) {
            return;
        }
        Map<String, String> values = values(lead, name, null, null, null);
        String text = wording.welcomeText(values);
        List<String> agenda = wording.agenda(values);
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put("channel", channel);
        message.put("text", text);
        ArrayNode blocks = message.putArray("blocks");
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", escape(text));
        listSection(blocks, "Agenda", agenda);
        metadata(message, alertId);
        post(message, alertId, lead);
    }

    /** A section listing the items under a bold heading; nothing when there are none. */
    private static void listSection(ArrayNode blocks, String heading, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        StringBuilder list = new StringBuilder("*").append(heading).append('*');
        items.forEach(item -> list.append("\n• ").append(escape(item)));
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", list.toString());
    }

    /** Posts a message and records it on {@code rep.alerts.sent} with the lead's id. */
    private void post(ObjectNode message, String alertId, HandsOnLead lead) {
        SlackPost posted = call(() -> slack.postMessage(message));
        sent.record(SentAlert.newBuilder().setAlertId(alertId).setChannel(posted.channel()).setStatus(SentStatus.SENT.name())
                .setSlackTs(posted.ts()).setAt(clock.instant()).setLeadId(lead.leadId()).build());
    }

    /** Whether a message of this id was posted: recorded, or (after a crash before the record) in the conversation. */
    private boolean posted(String channel, String alertId, HandsOnLead lead) {
        if (sent.find(alertId).filter(m -> SentStatus.of(m.getStatus()) == SentStatus.SENT).isPresent()) {
            return true;
        }
        return call(() -> slack.findAlertMessage(channel, alertId, lead.since().minus(recovery.lookBack()), recovery.historyLimit(),
                recovery.maxPages())).isPresent();
    }

    /** Records MANUAL and tells the owner in Slack what went wrong and what to do. */
    private SharedChannel manual(HandsOnLead lead, String channelId, String name, String error, String method, String needed) {
        Map<String, String> values = values(lead, name, error, method, needed);
        String problem = wording.problem(error, values);
        log.warn("Lead {}: the shared channel must be set up by hand: {}", lead.leadId(), problem);
        tellOwner(lead, values, problem);
        SharedChannel outcome = outcome(lead, SharedChannelStatus.MANUAL, channelId, name, error, problem);
        ledger.record(outcome);
        return outcome;
    }

    private void tellOwner(HandsOnLead lead, Map<String, String> values, String problem) {
        if (lead.ownerSlackUserId() == null || lead.ownerSlackUserId().isBlank()) {
            log.warn("Lead {}: its owner has no Slack user id to tell about the shared channel", lead.leadId());
            return;
        }
        String alertId = MANUAL_ID + lead.leadId();
        String user = lead.ownerSlackUserId().trim();
        try {
            String dm = call(() -> slack.openDirectMessage(user));
            if (posted(dm, alertId, lead)) {
                return;
            }
            String title = wording.manualTitle(values);
            List<String> actions = wording.manualActions(values);
            ObjectNode message = JsonNodeFactory.instance.objectNode();
            message.put("channel", dm);
            message.put("text", title);
            ArrayNode blocks = message.putArray("blocks");
            blocks.addObject().put("type", "header").putObject("text").put("type", "plain_text").put("text", cut(title, 150));
            blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", "*Why:* " + escape(problem));
            listSection(blocks, "What to do", actions);
            metadata(message, alertId);
            post(message, alertId, lead);
        } catch (Refused refused) {
            log.warn("Lead {}: could not tell its owner in Slack that the channel must be set up by hand: {}", lead.leadId(),
                    refused.cause.error());
        }
    }

    private SharedChannel outcome(HandsOnLead lead, SharedChannelStatus status, String channelId, String name, String error,
                                  String problem) {
        return SharedChannel.newBuilder().setLeadId(lead.leadId()).setStatus(status).setChannelId(channelId).setName(name)
                .setError(error).setProblem(problem).setOwnerRepId(lead.ownerRepId()).setAt(clock.instant()).build();
    }

    private static Map<String, String> values(HandsOnLead lead, String name, String error, String method, String needed) {
        Map<String, String> values = new HashMap<>();
        values.put("company", lead.companyForPeople());
        values.put("owner", lead.ownerName() == null ? "your account manager" : lead.ownerName());
        values.put("channel", name == null ? "" : "#" + name);
        values.put("error", error == null ? "" : error);
        values.put("method", method == null ? "" : method);
        values.put("needed", needed == null ? "missing" : needed);
        return values;
    }

    private static void metadata(ObjectNode message, String alertId) {
        ObjectNode metadata = message.putObject("metadata");
        metadata.put("event_type", SlackClient.METADATA_EVENT_TYPE);
        metadata.putObject("event_payload").put(SlackClient.METADATA_ALERT_ID, alertId);
    }

    /** Slack's mrkdwn escaping (https://docs.slack.dev/messaging/formatting-message-text#escaping). */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** A step whose "already done" answers count as success; other refusals are {@link Refused}. Null when already done. */
    private <T> T doneOrRefused(Supplier<T> step) {
        try {
            return call(step);
        } catch (Refused refused) {
            if (ALREADY_DONE.contains(refused.cause.error())) {
                return null;
            }
            throw refused;
        }
    }

    /**
     * One Slack call: a rate limit waited out ({@code Retry-After}), a transient failure retried after a back-off, both
     * up to {@code maxAttempts}; a permanent refusal thrown as {@link Refused}.
     */
    private <T> T call(Supplier<T> step) {
        for (int attempt = 1; ; attempt++) {
            try {
                return step.get();
            } catch (SlackApiException e) {
                if (e.isPermanent()) {
                    throw new Refused(e);
                }
                if (attempt >= delivery.maxAttempts()) {
                    throw e;
                }
                Duration wait = e.isRateLimited() ? e.retryAfter().orElse(Duration.ofSeconds(1)) : backoff(attempt);
                log.info("Slack {} answered {}; trying again in {}", e.method(), e.error(), wait);
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private Duration backoff(int attempt) {
        Duration delay = delivery.retryInitial().multipliedBy(1L << Math.min(attempt - 1, 20));
        return delay.compareTo(delivery.retryMax()) > 0 ? delivery.retryMax() : delay;
    }
}
