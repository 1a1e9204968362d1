package io.leadflow.schemas;

import io.leadflow.avro.BookingLink;
import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.DealStageChanged;
import io.leadflow.avro.ErasureReport;
import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.IntakeDelivery;
import io.leadflow.avro.LeadActivity;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.PersonalKey;
import io.leadflow.avro.RepAlert;
import io.leadflow.avro.RerouteRequested;
import io.leadflow.avro.RulesVersion;
import io.leadflow.avro.SentAlert;
import io.leadflow.avro.SharedChannel;
import io.leadflow.avro.TrialEvent;
import io.leadflow.avro.TrialReminder;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every topic Leadflow uses, with its key, value type, partitions and writer. Services name topics
 * through this class only; no other code spells a topic name.
 */
public final class Topics {

    public static final int DEFAULT_PARTITIONS = 3;

    public static final Topic<LeadReceived> LEADS_RECEIVED =
            new Topic<>("leads.received", LeadReceived.class, "leadId", DEFAULT_PARTITIONS, "lead-intake");
    public static final Topic<LeadRouted> LEADS_ROUTED =
            new Topic<>("leads.routed", LeadRouted.class, "leadId", DEFAULT_PARTITIONS, "routing-service");
    public static final Topic<DealStageChanged> DEALS_STAGE_CHANGED =
            new Topic<>("deals.stage-changed", DealStageChanged.class, "dealId", DEFAULT_PARTITIONS, "lead-intake");
    /**
     * Compacted: the latest sync of each lead. crm-sync reads it back as its record of which leads it has already synced
     * (and at which decision version), so a replay never writes a deal's stage or owner again.
     */
    public static final Topic<CrmSynced> CRM_SYNCED =
            new Topic<>("crm.synced", CrmSynced.class, "leadId", DEFAULT_PARTITIONS, "crm-sync", true);
    public static final Topic<TrialEvent> TRIALS_EVENTS =
            new Topic<>("trials.events", TrialEvent.class, "trialId", DEFAULT_PARTITIONS, "trial-tracker");
    public static final Topic<TrialReminder> TRIALS_REMINDERS =
            new Topic<>("trials.reminders", TrialReminder.class, "trialId", DEFAULT_PARTITIONS, "trial-tracker");
    public static final Topic<RepAlert> REP_ALERTS =
            new Topic<>("rep.alerts", RepAlert.class, "repId", DEFAULT_PARTITIONS, "routing-service, trial-tracker");

    /**
     * {@code rep.alerts} again, each alert on the partition of the Slack channel it goes to (the key stays the repId).
     * rep-notifier decides the channel (its per-kind channel settings) and writes it; its deliverers read it, so every
     * alert of a channel reaches the one instance that owns that partition and the channel's pace holds with any
     * number of instances.
     */
    public static final Topic<RepAlert> REP_ALERTS_BY_CHANNEL =
            new Topic<>("rep.alerts.by-channel", RepAlert.class, "repId", DEFAULT_PARTITIONS, "rep-notifier");

    /** Compacted: alerts the notifier has posted (or is posting), keyed by alertId, so a restart never posts twice. */
    public static final Topic<SentAlert> REP_ALERTS_SENT =
            new Topic<>("rep.alerts.sent", SentAlert.class, "alertId", DEFAULT_PARTITIONS, "rep-notifier", true);

    /**
     * Compacted: the shared Slack Connect channel of each hands-on lead, keyed by leadId (ids only, no personal data).
     * rep-notifier reads it back before it sets up a channel, so a restart never creates a second one; crm-sync puts the
     * channel id on the lead's deal, or a note and a task to set it up by hand.
     */
    public static final Topic<SharedChannel> SLACK_SHARED_CHANNELS =
            new Topic<>("slack.shared-channels", SharedChannel.class, "leadId", DEFAULT_PARTITIONS, "rep-notifier", true);

    /**
     * What reps, HubSpot and calendars say about routed leads (accepted, passed, worked, demo cancelled, no-show), keyed
     * by leadId, or {@code hubspot:contact:<id>} / {@code hubspot:deal:<id>} when only the HubSpot record is known.
     * routing-service reads it: it owns every lead's owner and SLA clock.
     */
    public static final Topic<LeadActivity> LEADS_ACTIVITY =
            new Topic<>("leads.activity", LeadActivity.class, "leadId", DEFAULT_PARTITIONS, "lead-intake");

    /** Re-route requests from routing-service's admin API, keyed by leadId, applied by its own topology in lead order. */
    public static final Topic<RerouteRequested> ROUTING_COMMANDS =
            new Topic<>("routing.commands", RerouteRequested.class, "leadId", DEFAULT_PARTITIONS, "routing-service");

    /**
     * Compacted: every published version of the routing rules file, keyed by its zero-padded version number
     * ({@code 0000000001}), so the history stays while each version is kept once. One partition: routing-service, its only
     * writer, reads it in version order and puts each version into its routing lane among the leads.
     */
    public static final Topic<RulesVersion> ROUTING_RULES =
            new Topic<>("routing.rules", RulesVersion.class, "version", 1, "routing-service", true);

    /**
     * lead-intake's replay memory: one record per webhook delivery (claimed, accepted, released), keyed by
     * {@code <source>:<delivery id>}, shared by every intake instance. Kept four days, longer than any
     * provider retries a delivery (SendGrid: three days), then deleted; compacted meanwhile.
     */
    public static final Topic<IntakeDelivery> INTAKE_DELIVERIES =
            new Topic<>("intake.deliveries", IntakeDelivery.class, "source:deliveryId", DEFAULT_PARTITIONS, "lead-intake", true,
                    Map.of("cleanup.policy", "compact,delete", "retention.ms", Long.toString(java.time.Duration.ofDays(4).toMillis())));

    /** Compacted: which lead each calendar booking belongs to, so a rescheduled booking updates its lead. */
    public static final Topic<BookingLink> INTAKE_BOOKINGS =
            new Topic<>("intake.bookings", BookingLink.class, "provider:bookingId", DEFAULT_PARTITIONS, "lead-intake", true);

    /**
     * Compacted: every person erased, keyed by their subject (a keyed hash of the email, never the email). A repeated
     * request for the same person is the same erasure. Every service reads it: to erase what it holds, and so that a
     * record about an erased person met again (a replay, a retry, a dead letter) is never acted on. The email stays in
     * the record only until the erasure is complete; then lead-intake rewrites it without, and compaction removes the
     * older copy (segments roll hourly, so the cleaner reaches it within the hour).
     */
    public static final Topic<ErasureRequested> PRIVACY_ERASURES =
            new Topic<>("privacy.erasures", ErasureRequested.class, "subject", DEFAULT_PARTITIONS, "lead-intake", true,
                    Map.of("segment.ms", Long.toString(java.time.Duration.ofHours(1).toMillis()),
                            "min.cleanable.dirty.ratio", "0.01", "delete.retention.ms", Long.toString(java.time.Duration.ofDays(1).toMillis())));

    /**
     * Compacted: each system's latest report on an erasure, keyed by {@code erasureId:system}; lead-intake reads it into
     * the erasure's receipt. Holds no personal data.
     */
    public static final Topic<ErasureReport> PRIVACY_ERASURE_REPORTS =
            new Topic<>("privacy.erasure-reports", ErasureReport.class, "erasureId:system", DEFAULT_PARTITIONS,
                    "lead-intake, routing-service, crm-sync, trial-tracker, rep-notifier", true);

    /**
     * Compacted: every person's data keys, wrapped under a key derived from {@code LEADFLOW_PRIVACY_KEY}, keyed by
     * {@code subject:keyId}. Every instance of every service follows it into memory; the serde encrypts each record's
     * personal fields under a key of its person. lead-intake deletes a person's keys with tombstones when their erasure
     * is done, which makes every copy of their fields in every topic unreadable at once. Segments roll every ten minutes
     * and the cleaner takes any dirt, so the wrapped keys themselves leave the log soon after.
     */
    public static final Topic<PersonalKey> PRIVACY_KEYS =
            new Topic<>("privacy.keys", PersonalKey.class, "subject:keyId", DEFAULT_PARTITIONS,
                    "lead-intake, routing-service, crm-sync, trial-tracker, rep-notifier", true,
                    Map.of("min.compaction.lag.ms", "0", "segment.ms", Long.toString(java.time.Duration.ofMinutes(10).toMillis()),
                            "min.cleanable.dirty.ratio", "0.01", "delete.retention.ms", Long.toString(java.time.Duration.ofDays(1).toMillis())));

    /** The compacted topic the embedded schema registry stores schemas in, as Confluent's does. */
    public static final String SCHEMAS = "_schemas";

    private static final List<Topic<?>> ALL = List.of(
            LEADS_RECEIVED, LEADS_ROUTED, DEALS_STAGE_CHANGED, CRM_SYNCED, TRIALS_EVENTS, TRIALS_REMINDERS, REP_ALERTS,
            REP_ALERTS_BY_CHANNEL, REP_ALERTS_SENT, SLACK_SHARED_CHANNELS, INTAKE_DELIVERIES, INTAKE_BOOKINGS, LEADS_ACTIVITY, ROUTING_COMMANDS, ROUTING_RULES,
            PRIVACY_ERASURES, PRIVACY_ERASURE_REPORTS, PRIVACY_KEYS);

    private Topics() {
    }

    public static List<Topic<?>> all() {
        return ALL;
    }

    public static Optional<Topic<?>> byName(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Every topic name including the dead-letter twins, as a broker must have them before services start. */
    public static List<String> allNamesWithDeadLetters() {
        return ALL.stream().flatMap(t -> java.util.stream.Stream.of(t.name(), t.deadLetter())).toList();
    }
}
