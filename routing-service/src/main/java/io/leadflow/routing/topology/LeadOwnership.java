package io.leadflow.routing.topology;

import io.leadflow.avro.ActivityKind;
import io.leadflow.avro.AlertKind;
import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.LeadActivity;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Owner;
import io.leadflow.avro.RerouteRequested;
import io.leadflow.avro.RoutingReason;
import io.leadflow.avro.SyncOutcome;
import io.leadflow.platform.timers.DueIndex;
import io.leadflow.routing.decide.AccountOwner;
import io.leadflow.routing.decide.Decision;
import io.leadflow.routing.decide.Regions;
import io.leadflow.routing.decide.NewLeadAlert;
import io.leadflow.routing.decide.Router;
import io.leadflow.routing.decide.RoutingState;
import io.leadflow.routing.decide.SlaAlerts;
import io.leadflow.routing.rules.Rep;
import io.leadflow.routing.rules.RoutingRules;
import io.leadflow.routing.rules.SlaPolicy;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * The single writer of who owns a lead after its first decision: SLA clocks, accept and pass clicks, HubSpot signals
 * that the owner worked the lead, cancelled and missed demos, reassignments. Works on the routing task's stores, so
 * everything one input changes (decision, SLA state, due index, counters) commits with its outputs in one
 * {@code exactly_once_v2} transaction.
 *
 * <p>Clocks are rows of a {@link DueIndex} with ids {@code <leadId>|v<version>|REMIND} and {@code …|REASSIGN}; a row is
 * only acted on when the lead still waits on that version at that due time, so a row left behind by an acceptance or a
 * newer version fires nothing.
 */
final class LeadOwnership {

    private static final Logger log = LoggerFactory.getLogger(LeadOwnership.class);

    static final String REMIND = "REMIND";
    static final String REASSIGN = "REASSIGN";

    private final Router router;
    private final RoutingRules rules;
    private final DecisionListener listener;
    private final KeyValueStore<String, LeadRouted> decisions;
    private final KeyValueStore<String, SlaState> clocks;
    private final DueIndex due;
    private final KeyValueStore<String, String> crmLinks;
    private final StoreRoutingState state;
    private final int publishedRulesVersion;

    /** @param publishedRulesVersion the routing.rules version {@code router} was built from, stamped on every new decision version */
    LeadOwnership(Router router, int publishedRulesVersion, DecisionListener listener, KeyValueStore<String, LeadRouted> decisions,
                  KeyValueStore<String, SlaState> clocks, KeyValueStore<String, String> due, KeyValueStore<String, String> crmLinks,
                  StoreRoutingState state) {
        this.router = router;
        this.publishedRulesVersion = publishedRulesVersion;
        this.rules = router.rules();
        this.listener = listener;
        this.decisions = decisions;
        this.clocks = clocks;
        this.due = new DueIndex(due);
        this.crmLinks = crmLinks;
        this.state = state;
    }

    // ---- the first decision starts the clock ------------------------------------------------------

    void start(LeadRouted decision, Instant now) {
        Optional<SlaPolicy> policy = router.sla(decision);
        Rep owner = owner(decision.getOwner());
        Long remindAt = remindAt(policy, owner, now);
        Long acceptBy = acceptBy(policy, owner, now);
        SlaState clock = new SlaState(decision.getLeadId(), policy.map(SlaPolicy::id).orElse(null), decision.getDecisionVersion(),
                SlaState.Status.WAITING, now.toEpochMilli(), remindAt, acceptBy, 0, List.of(owner.id()), null, null, null, false,
                List.of(), List.of());
        clock = clock.recording(new SlaState.Event(now.toEpochMilli(), "routed", clock.version(), owner.id(), policy.isEmpty()
                ? "no SLA policy applies"
                : "SLA " + policy.get().id() + (remindAt == null ? "" : ", reminder at " + Instant.ofEpochMilli(remindAt))
                + (acceptBy == null ? "" : ", accept by " + Instant.ofEpochMilli(acceptBy))));
        schedule(clock);
        clocks.put(decision.getLeadId(), clock);
    }

    // ---- HubSpot records ---------------------------------------------------------------------------

    void linked(CrmSynced synced) {
        if (synced.getContactId() != null) {
            crmLinks.put(contactKey(synced.getContactId()), synced.getLeadId());
        }
        // a deal this lead was only attached to belongs to another lead
        if (synced.getDealId() != null && synced.getOutcome() != SyncOutcome.ATTACHED) {
            crmLinks.put(dealKey(synced.getDealId()), synced.getLeadId());
        }
    }

    // ---- activities ------------------------------------------------------------------------------

    Outcome apply(LeadActivity activity, Instant now) {
        Outcome out = Outcome.empty();
        String leadId = leadOf(activity);
        if (leadId == null) {
            log.info("Activity {} ({} from {}) is about no lead known here (HubSpot contact {}, deal {}); ignored", activity.getActivityId(),
                    activity.getKind(), activity.getSource(), activity.getHubspotContactId(), activity.getHubspotDealId());
            listener.ignored(activity.getKind().name(), "unknown-lead");
            return out;
        }
        LeadRouted decision = decisions.get(leadId);
        if (decision == null) {
            log.info("Activity {} ({}) is about lead {}, which has no decision; ignored", activity.getActivityId(), activity.getKind(), leadId);
            listener.ignored(activity.getKind().name(), "unknown-lead");
            return out;
        }
        SlaState clock = clockOf(decision, now);
        if (clock.hasSeen(activity.getActivityId())) {
            listener.ignored(activity.getKind().name(), "duplicate");
            return out;
        }
        clock = clock.seeing(activity.getActivityId());
        clock = switch (activity.getKind()) {
            case ACCEPTED, PASSED -> click(activity, decision, clock, now, out);
            case WORKED -> worked(activity, decision, clock, out);
            case BOOKING_CANCELED, NO_SHOW -> booking(activity, decision, clock, out);
            default -> {
                listener.ignored(activity.getKind().name(), "unknown-kind");
                yield clock;
            }
        };
        clocks.put(leadId, clock);
        return out;
    }

    private SlaState click(LeadActivity click, LeadRouted decision, SlaState clock, Instant now, Outcome out) {
        Owner owner = decision.getOwner();
        String clicker = click.getActorSlackUserId();
        boolean byOwner = clicker != null && clicker.equals(owner.getSlackUserId());
        Integer version = clickedVersion(click);
        String clickerRepId = rules.repBySlackUser(clicker).map(Rep::id).orElse(clicker == null ? "unknown" : clicker);
        String verb = click.getKind() == ActivityKind.ACCEPTED ? "accept" : "pass";
        if (version == null || version != decision.getDecisionVersion()) {
            out.alert(SlaAlerts.notTheOwner(click, clickerRepId, byOwner
                    ? "This alert is out of date: the lead is still yours, use its newest alert to " + verb + " it."
                    : "This alert is out of date: " + owner.getName() + " owns this lead now.", decision));
            log.info("Lead {}: {} clicked {} on version {}, the lead is at version {}; told them", decision.getLeadId(), clickerRepId, verb,
                    version, decision.getDecisionVersion());
            listener.ignored(click.getKind().name(), "stale-version");
            return clock.recording(event(click.getOccurredAt(), "stale-click", decision, clickerRepId, verb + " on version " + version));
        }
        if (!byOwner) {
            out.alert(SlaAlerts.notTheOwner(click, clickerRepId,
                    "Only " + owner.getName() + ", who owns this lead, can " + verb + " it.", decision));
            log.info("Lead {}: {} clicked {} but {} owns it; told them", decision.getLeadId(), clickerRepId, verb, owner.getRepId());
            listener.ignored(click.getKind().name(), "not-the-owner");
            return clock.recording(event(click.getOccurredAt(), "not-the-owner", decision, clickerRepId, verb));
        }
        if (click.getKind() == ActivityKind.ACCEPTED) {
            if (clock.status() == SlaState.Status.ACCEPTED) {
                listener.ignored(click.getKind().name(), "already-accepted");
                return clock;
            }
            unschedule(clock);
            Duration waited = Duration.between(Instant.ofEpochMilli(clock.clockStartedAt()), click.getOccurredAt());
            listener.accepted(decision, waited.isNegative() ? Duration.ZERO : waited);
            out.alert(SlaAlerts.accepted(decision, click.getOccurredAt()));
            log.info("Lead {} accepted by {} (version {}) after {}", decision.getLeadId(), owner.getRepId(), decision.getDecisionVersion(), waited);
            return clock.accepted(owner.getRepId(), click.getOccurredAt().toEpochMilli(), "slack")
                    .recording(event(click.getOccurredAt(), "accepted", decision, owner.getRepId(), "in Slack"));
        }
        clock = clock.recording(event(click.getOccurredAt(), "passed", decision, owner.getRepId(), "in Slack"));
        return reassign(decision, clock, now, "passed", owner.getName() + " passed the lead", out, null);
    }

    private SlaState worked(LeadActivity activity, LeadRouted decision, SlaState clock, Outcome out) {
        if (clock.status() == SlaState.Status.ACCEPTED) {
            listener.ignored(activity.getKind().name(), "already-accepted");
            return clock.recording(event(activity.getOccurredAt(), "worked", decision, decision.getOwner().getRepId(), activity.getDetail()));
        }
        unschedule(clock);
        Duration waited = Duration.between(Instant.ofEpochMilli(clock.clockStartedAt()), activity.getOccurredAt());
        listener.accepted(decision, waited.isNegative() ? Duration.ZERO : waited);
        out.alert(SlaAlerts.accepted(decision, activity.getOccurredAt()));
        log.info("Lead {} worked in HubSpot ({}) after {}: clock stopped", decision.getLeadId(), activity.getDetail(), waited);
        return clock.accepted(decision.getOwner().getRepId(), activity.getOccurredAt().toEpochMilli(), activity.getSource())
                .recording(event(activity.getOccurredAt(), "worked", decision, decision.getOwner().getRepId(), activity.getDetail()));
    }

    private SlaState booking(LeadActivity activity, LeadRouted decision, SlaState clock, Outcome out) {
        AlertKind kind = activity.getKind() == ActivityKind.NO_SHOW ? AlertKind.NO_SHOW : AlertKind.BOOKING_CANCELED;
        String ownerId = decision.getOwner().getRepId();
        boolean credit = !clock.credited() && rules.rep(ownerId).isPresent();
        if (credit) {
            Instant assignedAt = decision.getDecidedAt() == null ? decision.getRoutedAt() : decision.getDecidedAt();
            router.creditBack(ownerId, router.today(assignedAt), router.roundRobinTeam(decision), state);
            clock = clock.withCredit();
            log.info("Lead {}: {} ({}); {}'s round-robin share and count for {} credited back", decision.getLeadId(), kind,
                    activity.getDetail(), ownerId, router.today(assignedAt));
        }
        out.alert(SlaAlerts.booking(kind, decision, activity, credit));
        return clock.recording(event(activity.getOccurredAt(), kind == AlertKind.NO_SHOW ? "no-show" : "booking-canceled", decision, ownerId,
                (activity.getDetail() == null ? "" : activity.getDetail() + "; ") + (credit ? "credited back" : "already credited back")));
    }

    // ---- re-routing -------------------------------------------------------------------------------

    /**
     * A new decision version from corrected facts (the rules decide again, as for a new lead, except that an account
     * this very lead made owned is not held against it) or for an explicit owner; the clock restarts for the owner.
     */
    Outcome reroute(RerouteRequested request, Instant now) {
        Outcome out = Outcome.empty();
        LeadRouted decision = decisions.get(request.getLeadId());
        if (decision == null) {
            log.warn("Re-route {} of lead {}, which has no decision; ignored", request.getRequestId(), request.getLeadId());
            listener.ignored("REROUTE", "unknown-lead");
            return out;
        }
        SlaState clock = clockOf(decision, now);
        if (clock.hasSeen(request.getRequestId())) {
            listener.ignored("REROUTE", "duplicate");
            return out;
        }
        clock = clock.seeing(request.getRequestId());
        Optional<Rep> explicit = request.getOwnerRepId() == null ? Optional.empty() : rules.rep(request.getOwnerRepId());
        if (request.getOwnerRepId() != null && explicit.isEmpty()) {
            log.warn("Re-route {} of lead {} names rep {}, whom the rules do not know; ignored", request.getRequestId(),
                    request.getLeadId(), request.getOwnerRepId());
            listener.ignored("REROUTE", "unknown-rep");
            clocks.put(decision.getLeadId(), clock);
            return out;
        }
        List<String> corrections = new ArrayList<>();
        LeadReceived lead = corrected(decision.getLead(), request, corrections);
        String why = "Re-routed by " + request.getRequestedBy() + (request.getNote() == null || request.getNote().isBlank() ? "" : ": " + request.getNote())
                + (corrections.isEmpty() ? "" : " (corrected " + String.join(", ", corrections) + ")");
        RoutingState routing = new NotHeldAgainst(state, decision);
        Decision decided = router.decide(lead, now, explicit.isPresent() ? new io.leadflow.routing.decide.InMemoryRoutingState(routing) : routing);
        List<RoutingReason> reasons = new ArrayList<>(decided.reasons());
        Owner owner = Decision.owner(decided.owner());
        if (explicit.isPresent()) {
            Rep rep = explicit.get();
            owner = Decision.owner(rep);
            state.recordAssignment(rep.id(), router.today(now));
            reasons.remove(reasons.size() - 1);
            reasons.add(new RoutingReason("owner-override", "owner", rep.id(), why + ", to " + rep.name() + "."));
        }
        LeadRouted next = LeadRouted.newBuilder(decision)
                .setLead(lead)
                .setPipeline(decided.pipeline())
                .setRecommendedPlan(decided.plan())
                .setFlags(List.copyOf(decided.flags()))
                .setNextSteps(List.copyOf(decided.nextSteps()))
                .setTasks(List.copyOf(decided.tasks()))
                .setRulesVersion(decided.rulesVersion())
                .setPublishedRulesVersion(publishedRulesVersion)
                .setOwner(owner)
                .setReasons(reasons)
                .setDecisionVersion(decision.getDecisionVersion() + 1)
                .setPreviousOwner(decision.getOwner())
                .setDecidedAt(now)
                .setChangeReason(why)
                .build();
        clock = restart(clock, next, now, false).recording(event(now, "rerouted", next, owner.getRepId(), why));
        decisions.put(next.getLeadId(), next);
        clocks.put(next.getLeadId(), clock);
        out.decision(next).alert(NewLeadAlert.from(next)).alert(SlaAlerts.reassigned(decision, next, now));
        listener.reassigned(clock.policy(), "rerouted");
        log.info("Lead {} re-routed by {} as version {}: {} / {} to {}", next.getLeadId(), request.getRequestedBy(), next.getDecisionVersion(),
                next.getPipeline(), next.getRecommendedPlan(), owner.getRepId());
        return out;
    }

    private static LeadReceived corrected(LeadReceived lead, RerouteRequested request, List<String> corrections) {
        LeadReceived.Builder builder = LeadReceived.newBuilder(lead);
        if (request.getCountry() != null) {
            String country = request.getCountry().trim().toUpperCase(java.util.Locale.ROOT);
            builder.setContact(io.leadflow.avro.Contact.newBuilder(lead.getContact()).setCountry(country).setRegion(Regions.of(country)).build());
            corrections.add("country " + country);
        }
        if (request.getPlanInterest() != null) {
            builder.setPlanInterest(request.getPlanInterest());
            corrections.add("plan interest " + request.getPlanInterest());
        }
        if (request.getMonthlyEvents() != null) {
            builder.setMonthlyEvents(request.getMonthlyEvents());
            corrections.add("monthly events " + request.getMonthlyEvents());
        }
        if (request.getMonthlyActiveUsers() != null) {
            builder.setMonthlyActiveUsers(request.getMonthlyActiveUsers());
            corrections.add("monthly active users " + request.getMonthlyActiveUsers());
        }
        if (request.getNeeds() != null) {
            builder.setNeeds(List.copyOf(request.getNeeds()));
            corrections.add("needs " + (request.getNeeds().isEmpty() ? "none" : request.getNeeds()));
        }
        return builder.build();
    }

    /** The live routing state, except that the account this lead itself made owned (at its first decision) is not sticky for it. */
    private static final class NotHeldAgainst implements RoutingState {
        private final RoutingState state;
        private final LeadRouted decision;

        NotHeldAgainst(RoutingState state, LeadRouted decision) {
            this.state = state;
            this.decision = decision;
        }

        @Override
        public Optional<AccountOwner> accountOwner(String domain) {
            Optional<AccountOwner> owner = state.accountOwner(domain);
            return owner.filter(o -> !o.since().equals(decision.getRoutedAt()));
        }

        @Override
        public void recordAccountOwner(String domain, AccountOwner owner) {
            state.recordAccountOwner(domain, owner);
        }

        @Override
        public long assignedOn(String repId, LocalDate day) {
            return state.assignedOn(repId, day);
        }

        @Override
        public void recordAssignment(String repId, LocalDate day) {
            state.recordAssignment(repId, day);
        }

        @Override
        public void unrecordAssignment(String repId, LocalDate day) {
            state.unrecordAssignment(repId, day);
        }

        @Override
        public long roundRobinWeight(String team, String repId) {
            return state.roundRobinWeight(team, repId);
        }

        @Override
        public void setRoundRobinWeight(String team, String repId, long weight) {
            state.setRoundRobinWeight(team, repId, weight);
        }
    }

    // ---- due clocks ------------------------------------------------------------------------------

    Outcome fireDue(Instant now, int limit) {
        Outcome out = Outcome.empty();
        for (DueIndex.Due row : due.due(now, limit)) {
            due.remove(row.dueAt(), row.id());
            String[] parts = row.id().split("\\|");
            if (parts.length != 3) {
                log.warn("Dropped an unreadable SLA timer {}", row.id());
                continue;
            }
            String leadId = parts[0];
            int version = Integer.parseInt(parts[1].substring(1));
            SlaState clock = clocks.get(leadId);
            if (clock == null || clock.version() != version || clock.status() != SlaState.Status.WAITING) {
                continue; // accepted, or a newer version has its own clock: the decision need not be read
            }
            LeadRouted decision = decisions.get(leadId);
            if (decision == null || decision.getDecisionVersion() != version) {
                continue;
            }
            long at = row.dueAt().toEpochMilli();
            if (parts[2].equals(REMIND) && clock.remindAt() != null && clock.remindAt() == at) {
                out.alert(SlaAlerts.reminder(decision, clock.acceptBy() == null ? null : Instant.ofEpochMilli(clock.acceptBy()), now));
                listener.reminded(clock.policy());
                clocks.put(leadId, clock.reminded().recording(event(now, "reminded", decision, decision.getOwner().getRepId(),
                        lateness(row.dueAt(), now))));
            } else if (parts[2].equals(REASSIGN) && clock.acceptBy() != null && clock.acceptBy() == at) {
                SlaPolicy policy = policy(clock.policy());
                String waited = policy == null || policy.reassignAfter() == null ? "in time"
                        : "within " + SlaPolicy.words(policy.reassignAfter()) + (policy.workingHoursOnly() ? " of working time" : "");
                String why = decision.getOwner().getName() + " did not accept " + waited;
                clock = clock.recording(event(now, "not-accepted", decision, decision.getOwner().getRepId(), why + lateness(row.dueAt(), now)));
                // the row that fired is gone already; the clock's other timers go when it restarts or breaches
                clocks.put(leadId, reassign(decision, clock, now, "sla", why, out, row.id()));
            }
        }
        return out;
    }

    private static String lateness(Instant dueAt, Instant now) {
        Duration late = Duration.between(dueAt, now);
        return late.compareTo(Duration.ofMinutes(1)) > 0 ? " (fired " + SlaPolicy.words(late.withNanos(0)) + " late)" : "";
    }

    // ---- reassignment ------------------------------------------------------------------------------

    /**
     * The lead to the next available rep of the fallback round robin who never held it, as a new decision version; or,
     * when the policy's reassignments are used up or no one is left, an escalation and a stopped clock.
     *
     * @param fired the id of the due row whose firing this is (the scan deleted it already), or null
     */
    private SlaState reassign(LeadRouted decision, SlaState clock, Instant now, String cause, String why, Outcome out, String fired) {
        SlaPolicy policy = policy(clock.policy());
        String company = NewLeadAlert.titleCompany(decision.getLead());
        if (policy != null && clock.reassignments() >= policy.maxReassignments()) {
            return breach(decision, clock, now, policy, why + ", and it was already reassigned " + times(clock.reassignments()), out, fired);
        }
        List<String> skipped = new ArrayList<>();
        Optional<Rep> candidate = router.reassignee(now, state, new HashSet<>(clock.heldBy()), skipped);
        if (candidate.isEmpty()) {
            return breach(decision, clock, now, policy, why + ", and no rep who has not held it is available"
                    + (skipped.isEmpty() ? "" : " (" + String.join("; ", skipped) + ")"), out, fired);
        }
        Rep rep = candidate.get();
        String team = rules.owners().fallbackTeam();
        List<RoutingReason> reasons = new ArrayList<>(decision.getReasons());
        RoutingReason ownerReason = new RoutingReason(cause.equals("passed") ? "passed" : "sla-reassignment", "owner",
                decision.getOwner().getRepId(), why + ", so weighted round robin over team " + team + " picked " + rep.name()
                + " (never someone who already had the lead)." + (skipped.isEmpty() ? "" : " Skipped: " + String.join("; ", skipped) + "."));
        if (!reasons.isEmpty()) {
            reasons.remove(reasons.size() - 1);
        }
        reasons.add(ownerReason);
        LeadRouted next = DecisionVersions.next(decision, Decision.owner(rep), reasons, now, why);
        next.setPublishedRulesVersion(publishedRulesVersion);
        SlaState reassigned = restart(clock, next, now, true, fired)
                .recording(event(now, cause.equals("passed") ? "reassigned-on-pass" : "reassigned", next, rep.id(), why));
        decisions.put(next.getLeadId(), next);
        out.decision(next)
                .alert(NewLeadAlert.from(next))
                .alert(SlaAlerts.reassigned(decision, next, now));
        if (policy != null && policy.escalateTo() != null) {
            out.alert(SlaAlerts.escalation(decision, policy.escalateTo(), "Reassigned " + company + " from "
                    + decision.getOwner().getName() + " to " + rep.name() + ": " + why, now));
        }
        listener.reassigned(clock.policy(), cause);
        log.info("Lead {} reassigned from {} to {} as version {}: {}", decision.getLeadId(), decision.getOwner().getRepId(), rep.id(),
                next.getDecisionVersion(), why);
        return reassigned;
    }

    private SlaState breach(LeadRouted decision, SlaState clock, Instant now, SlaPolicy policy, String why, Outcome out, String fired) {
        unschedule(clock, fired);
        String company = NewLeadAlert.titleCompany(decision.getLead());
        if (policy != null && policy.escalateTo() != null) {
            out.alert(SlaAlerts.escalation(decision, policy.escalateTo(), "Nobody has accepted " + company + ": " + why + ". "
                    + decision.getOwner().getName() + " still owns it.", now));
        }
        listener.breached(clock.policy());
        log.warn("Lead {} breached its SLA ({}): {}", decision.getLeadId(), clock.policy(), why);
        return clock.breached().recording(event(now, "breached", decision, decision.getOwner().getRepId(), why));
    }

    /** A clock for the new version, for its owner, under the policy that applies to it now. */
    SlaState restart(SlaState clock, LeadRouted next, Instant now, boolean reassignment) {
        return restart(clock, next, now, reassignment, null);
    }

    private SlaState restart(SlaState clock, LeadRouted next, Instant now, boolean reassignment, String fired) {
        unschedule(clock, fired);
        Optional<SlaPolicy> policy = router.sla(next);
        Rep owner = owner(next.getOwner());
        SlaState restarted = clock.newVersion(next.getDecisionVersion(), owner.id(), policy.map(SlaPolicy::id).orElse(null),
                now.toEpochMilli(), remindAt(policy, owner, now), acceptBy(policy, owner, now), reassignment);
        schedule(restarted);
        return restarted;
    }

    // ---- pieces ------------------------------------------------------------------------------------

    /** The clock of a decided lead; a lead decided before clocks existed gets one without timers. */
    SlaState clockOf(LeadRouted decision, Instant now) {
        SlaState clock = clocks.get(decision.getLeadId());
        if (clock != null) {
            return clock;
        }
        List<String> held = new ArrayList<>();
        if (decision.getPreviousOwner() != null) {
            held.add(decision.getPreviousOwner().getRepId());
        }
        held.add(decision.getOwner().getRepId());
        return new SlaState(decision.getLeadId(), null, decision.getDecisionVersion(), SlaState.Status.WAITING, now.toEpochMilli(),
                null, null, 0, held, null, null, null, false, List.of(), List.of());
    }

    private void schedule(SlaState clock) {
        if (clock.remindAt() != null) {
            due.add(Instant.ofEpochMilli(clock.remindAt()), id(clock.leadId(), clock.version(), REMIND), "");
        }
        if (clock.acceptBy() != null) {
            due.add(Instant.ofEpochMilli(clock.acceptBy()), id(clock.leadId(), clock.version(), REASSIGN), "");
        }
    }

    private void unschedule(SlaState clock) {
        unschedule(clock, null);
    }

    /**
     * Deletes the clock's due rows, except {@code fired} (a row the scan deleted already): a delete is a changelog
     * tombstone whether or not the row is there, and 10,000 clocks falling due together would write each twice.
     */
    private void unschedule(SlaState clock, String fired) {
        if (clock.remindAt() != null) {
            String remind = id(clock.leadId(), clock.version(), REMIND);
            if (!remind.equals(fired)) {
                due.remove(Instant.ofEpochMilli(clock.remindAt()), remind);
            }
        }
        if (clock.acceptBy() != null) {
            String reassign = id(clock.leadId(), clock.version(), REASSIGN);
            if (!reassign.equals(fired)) {
                due.remove(Instant.ofEpochMilli(clock.acceptBy()), reassign);
            }
        }
    }

    static String id(String leadId, int version, String kind) {
        return leadId + "|v" + version + "|" + kind;
    }

    private static Long remindAt(Optional<SlaPolicy> policy, Rep owner, Instant now) {
        return policy.filter(p -> p.remindAfter() != null).map(p -> owner.plus(now, p.remindAfter(), p.workingHoursOnly()))
                .map(Instant::toEpochMilli).orElse(null);
    }

    private static Long acceptBy(Optional<SlaPolicy> policy, Rep owner, Instant now) {
        return policy.filter(p -> p.reassignAfter() != null).map(p -> owner.plus(now, p.reassignAfter(), p.workingHoursOnly()))
                .map(Instant::toEpochMilli).orElse(null);
    }

    private SlaPolicy policy(String id) {
        return id == null ? null : rules.sla().stream().filter(p -> p.id().equals(id)).findFirst().orElse(null);
    }

    /** The rep of an owner; an owner the rules no longer list works around the clock. */
    private Rep owner(Owner owner) {
        return rules.repOrFallback(owner.getRepId()).orElseGet(() -> new Rep(owner.getRepId(), owner.getName(), owner.getEmail(),
                owner.getSlackUserId(), owner.getHubspotOwnerId(), owner.getBookingUrl(), 0, null, false, List.of(), rules.timeZone(), null));
    }

    private String leadOf(LeadActivity activity) {
        if (activity.getLeadId() != null && !activity.getLeadId().isBlank()) {
            return activity.getLeadId();
        }
        String byContact = activity.getHubspotContactId() == null ? null : crmLinks.get(contactKey(activity.getHubspotContactId()));
        if (byContact != null) {
            return byContact;
        }
        return activity.getHubspotDealId() == null ? null : crmLinks.get(dealKey(activity.getHubspotDealId()));
    }

    /**
     * The decision version a click is about: lead-intake passes the button value's version in {@code detail} as
     * {@code decisionVersion=<n>} (a bare {@code <n>} or {@code <leadId>:<n>} is read too).
     */
    static Integer clickedVersion(LeadActivity click) {
        String detail = click.getDetail();
        if (detail == null) {
            return null;
        }
        String digits = detail.substring(Math.max(detail.lastIndexOf(':'), detail.lastIndexOf('=')) + 1).trim();
        if (digits.startsWith("v")) {
            digits = digits.substring(1);
        }
        if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Integer.parseInt(digits);
    }

    private static SlaState.Event event(Instant at, String what, LeadRouted decision, String repId, String detail) {
        return new SlaState.Event(at.toEpochMilli(), what, decision.getDecisionVersion(), repId, detail);
    }

    private static String times(int count) {
        return count == 1 ? "once" : count == 2 ? "twice" : count + " times";
    }

    static String contactKey(String contactId) {
        return "contact:" + contactId;
    }

    static String dealKey(String dealId) {
        return "deal:" + dealId;
    }
}
