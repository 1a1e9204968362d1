package io.leadflow.routing.decide;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.Plan;
import io.leadflow.avro.RoutingFlag;
import io.leadflow.avro.RoutingReason;
import io.leadflow.routing.rules.Criterion;
import io.leadflow.routing.rules.Rep;
import io.leadflow.routing.rules.RoutingRules;
import io.leadflow.routing.rules.RoutingRules.FlagRule;
import io.leadflow.routing.rules.Rule;
import io.leadflow.routing.rules.RulesLoader;
import io.leadflow.routing.rules.SlaPolicy;
import io.leadflow.routing.rules.TextPattern;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Decides pipeline, plan and owner for a lead from the rules, with a reason for each and the flags
 * and next steps for the owner. Pure logic: the only memory is the {@link RoutingState} passed in,
 * and "now" is an argument. Everything that depends on the rules alone (sentences cut into pieces,
 * reps by id, team members) is prepared once here, not per lead.
 */
public final class Router {

    /** Distinct job titles whose technical verdict is remembered; titles repeat, so matching them is rare. */
    private static final int TITLE_CACHE = 10_000;

    private final RoutingRules rules;
    private final Map<String, Rep> reps = new HashMap<>();
    private final Map<String, List<Rep>> teams = new HashMap<>();
    private final Map<String, Template> sentences = new HashMap<>();
    private final List<List<Criterion>> pipelineCriteria;
    private final List<List<Criterion>> planCriteria;
    private final Cache<String, Boolean> technicalTitles = Caffeine.newBuilder().maximumSize(TITLE_CACHE).build();
    private final TextPattern anyMention;
    private volatile Day day;

    /** The day "now" falls on in the rules' time zone, with its bounds, so most leads skip the time-zone arithmetic. */
    private record Day(long startMillis, long endMillis, LocalDate date) {
    }

    public Router(RoutingRules rules) {
        this.rules = rules;
        rules.reps().forEach(rep -> reps.put(rep.id(), rep));
        rules.teams().forEach((team, members) -> teams.put(team, members.stream().map(reps::get).toList()));
        rules.pipeline().rules().forEach(rule -> prepare(rule.because()));
        rules.plan().rules().forEach(rule -> prepare(rule.because()));
        rules.owners().rules().forEach(rule -> prepare(rule.because()));
        rules.flags().forEach(flag -> prepare(flag.explanation()));
        prepare(rules.pipeline().defaultBecause());
        prepare(rules.plan().defaultBecause());
        prepare(rules.owners().fallbackBecause());
        pipelineCriteria = rules.pipeline().rules().stream().map(Rule::when).toList();
        planCriteria = rules.plan().rules().stream().map(Rule::when).toList();
        List<TextPattern> mentions = new ArrayList<>();
        Stream.of(rules.pipeline().rules(), rules.plan().rules(), rules.owners().rules())
                .flatMap(List::stream).map(Rule::when)
                .forEach(when -> messagePatterns(when, mentions));
        rules.flags().forEach(flag -> messagePatterns(flag.when(), mentions));
        rules.sla().forEach(policy -> messagePatterns(policy.when(), mentions));
        anyMention = TextPattern.union(mentions, RulesLoader.MESSAGE_CHARS);
    }

    private static void messagePatterns(List<Criterion> when, List<TextPattern> patterns) {
        when.stream().filter(c -> c.key() == Criterion.Key.MESSAGE_MATCHES).forEach(c -> patterns.add((TextPattern) c.expected()));
    }

    public RoutingRules rules() {
        return rules;
    }

    public LocalDate today(Instant now) {
        long millis = now.toEpochMilli();
        Day current = day;
        if (current == null || millis < current.startMillis() || millis >= current.endMillis()) {
            ZoneId zone = rules.timeZone();
            LocalDate date = now.atZone(zone).toLocalDate();
            current = new Day(date.atStartOfDay(zone).toInstant().toEpochMilli(),
                    date.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli(), date);
            day = current;
        }
        return current.date();
    }

    /** How much of a decision to write out; pipeline, plan, owner and state changes are the same at every level. */
    public enum Detail {
        /** Reasons with their fields, values and sentences, and the flags: the decision as it is published. */
        FULL,
        /** Reasons in full, no flags (notes for the rep that never change the routing) and no lead tasks (the rep's to-dos). */
        REASONS,
        /**
         * Only the rule behind each reason (field, value and sentence left empty), no flags, no lead tasks: for counting
         * over many leads.
         */
        RULES
    }

    public Decision decide(LeadReceived lead, Instant now, RoutingState state) {
        return decide(lead, now, state, Detail.FULL);
    }

    public Decision decide(LeadReceived lead, Instant now, RoutingState state, Detail detail) {
        boolean explain = detail != Detail.RULES;
        LeadFacts facts = new LeadFacts(lead, rules.plan(), this::technicalTitle, anyMention);
        List<RoutingReason> reasons = new ArrayList<>(3);
        Words words = explain ? new Words(facts) : null;

        Pipeline pipeline = null;
        for (Rule<Pipeline> rule : rules.pipeline().rules()) {
            if (Conditions.matches(rule.when(), facts, null, null)) {
                pipeline = rule.outcome();
                reasons.add(explain ? reason(rule.id(), Conditions.hits(rule.when(), facts, null, null), rule.because(), words) : ruleOnly(rule.id()));
                break;
            }
        }
        if (pipeline == null) {
            pipeline = rules.pipeline().defaultPipeline();
            reasons.add(explain ? reason("pipeline-default", Conditions.lookedAt(pipelineCriteria, facts, null, null),
                    rules.pipeline().defaultBecause(), words) : ruleOnly("pipeline-default"));
        }
        if (explain) {
            words.pipeline(pipeline);
        }

        Plan plan = null;
        for (Rule<Plan> rule : rules.plan().rules()) {
            if (Conditions.matches(rule.when(), facts, pipeline, null)) {
                plan = rule.outcome();
                reasons.add(explain ? reason(rule.id(), Conditions.hits(rule.when(), facts, pipeline, null), rule.because(), words) : ruleOnly(rule.id()));
                break;
            }
        }
        if (plan == null) {
            plan = rules.plan().defaultPlan();
            reasons.add(explain ? reason("plan-default", Conditions.lookedAt(planCriteria, facts, pipeline, null),
                    rules.plan().defaultBecause(), words) : ruleOnly("plan-default"));
        }
        if (explain) {
            words.plan(plan);
        }

        Ownership ownership = owner(facts, pipeline, plan, now, state, words);
        reasons.add(ownership.reason());
        List<RoutingFlag> flags = new ArrayList<>();
        if (detail == Detail.FULL) {
            words.owner(ownership.rep().name(), null);
            for (FlagRule flag : rules.flags()) {
                if (Conditions.matches(flag.when(), facts, pipeline, plan)) {
                    flags.add(new RoutingFlag(flag.code(), sentence(flag.explanation()).fill(words)));
                }
            }
            if (ownership.fallback()) {
                flags.add(new RoutingFlag("NO_REP_AVAILABLE", ownership.reason().getExplanation()));
            }
        }
        return new Decision(pipeline, plan, ownership.rep(), ownership.fallback(), reasons, flags,
                rules.nextSteps(pipeline), detail == Detail.FULL ? LeadTasks.of(rules, pipeline, lead) : List.of(), rules.version());
    }

    /** The SLA policy for a decision: the first whose {@code when} holds for its lead, pipeline and plan. */
    public Optional<SlaPolicy> sla(LeadRouted decision) {
        if (rules.sla().isEmpty()) {
            return Optional.empty();
        }
        LeadFacts facts = new LeadFacts(decision.getLead(), rules.plan(), this::technicalTitle, anyMention);
        for (SlaPolicy policy : rules.sla()) {
            if (Conditions.matches(policy.when(), facts, decision.getPipeline(), decision.getRecommendedPlan())) {
                return Optional.of(policy);
            }
        }
        return Optional.empty();
    }

    /**
     * The rep a lead goes to when its owner passes it or lets its SLA run out: weighted round robin over the owner
     * rules' fallback team, among the available members who never held this lead. The pick counts towards the rep's
     * daily cap and round-robin share like any assignment.
     *
     * @param skipped filled with why members were passed over
     */
    public Optional<Rep> reassignee(Instant now, RoutingState state, Set<String> heldBy, List<String> skipped) {
        String team = rules.owners().fallbackTeam();
        List<Rep> members = teams.get(team).stream().filter(rep -> !heldBy.contains(rep.id())).toList();
        LocalDate today = today(now);
        Rep picked = members.isEmpty() ? null : roundRobin(team, members, today, state, skipped);
        if (picked != null) {
            state.recordAssignment(picked.id(), today);
        }
        return Optional.ofNullable(picked);
    }

    /**
     * Gives a rep back what a lead took: one lead off their count for {@code day} (so the daily cap has room again)
     * and, when a team's round robin picked them ({@code team} not null), their turn back in it, as if the pick had
     * not happened (every member gives back its weight, the rep regains the team's total).
     */
    public void creditBack(String repId, LocalDate day, String team, RoutingState state) {
        state.unrecordAssignment(repId, day);
        List<Rep> members = team == null ? null : teams.get(team);
        if (members == null || members.stream().noneMatch(rep -> rep.id().equals(repId))) {
            return;
        }
        long total = 0;
        for (Rep rep : members) {
            if (rep.active() && rep.weight() > 0) {
                total += rep.weight();
                state.setRoundRobinWeight(team, rep.id(), state.roundRobinWeight(team, rep.id()) - rep.weight());
            }
        }
        state.setRoundRobinWeight(team, repId, state.roundRobinWeight(team, repId) + total);
    }

    /**
     * The team whose round robin gave a decision its owner, from the owner's reason: the fallback team for
     * {@code round-robin}, the rule's team for an owner rule naming a team; null when no round robin picked them.
     */
    public String roundRobinTeam(LeadRouted decision) {
        if (decision.getReasons().isEmpty()) {
            return null;
        }
        String rule = decision.getReasons().get(decision.getReasons().size() - 1).getRule();
        if ("round-robin".equals(rule) || "sla-reassignment".equals(rule) || "passed".equals(rule)) {
            return rules.owners().fallbackTeam();
        }
        return rules.owners().rules().stream().filter(r -> r.id().equals(rule) && teams.containsKey(r.outcome()))
                .map(Rule::outcome).findFirst().orElse(null);
    }

    /** Whether a rep can take a new lead now: active, not out of office, under the daily cap. */
    public Availability availability(Rep rep, Instant now, RoutingState state) {
        return availability(rep, today(now), state);
    }

    private Availability availability(Rep rep, LocalDate today, RoutingState state) {
        long assigned = state.assignedOn(rep.id(), today);
        if (!rep.active()) {
            return new Availability(false, "inactive", assigned);
        }
        Optional<Rep.OutOfOffice> absence = rep.outOfOffice().isEmpty() ? Optional.empty() : rep.absentOn(today);
        if (absence.isPresent()) {
            return new Availability(false, "out of office until " + absence.get().to(), assigned);
        }
        if (rep.dailyCap() != null && assigned >= rep.dailyCap()) {
            return new Availability(false, "at the daily cap of " + rep.dailyCap(), assigned);
        }
        return new Availability(true, null, assigned);
    }

    private boolean technicalTitle(String title) {
        return technicalTitles.get(title, t -> rules.plan().technicalTitles().matches(t));
    }

    // ---- ownership -------------------------------------------------------------------------------

    private record Ownership(Rep rep, RoutingReason reason, boolean fallback) {
    }

    private Ownership owner(LeadFacts facts, Pipeline pipeline, Plan plan, Instant now, RoutingState state, Words words) {
        LocalDate today = today(now);
        List<String> skipped = new ArrayList<>();
        String domain = facts.domain;
        Optional<AccountOwner> account = domain == null ? Optional.empty() : state.accountOwner(domain);
        boolean accountOwnerGone = false;

        if (rules.owners().stickiness() && account.isPresent()) {
            Rep rep = reps.get(account.get().repId());
            if (rep == null || !rep.active()) {
                accountOwnerGone = true;
                skipped.add("account " + domain + " belonged to " + (rep == null ? account.get().repId() : rep.name())
                        + ", who no longer takes leads");
            } else if (rep.absentOn(today).isPresent()) {
                skipped.add("account owner " + rep.name() + " is out of office until " + rep.absentOn(today).get().to());
            } else {
                state.recordAssignment(rep.id(), today);
                if (words == null) {
                    return new Ownership(rep, ruleOnly("account-owner"), false);
                }
                String since = account.get().since().atZone(rules.timeZone()).toLocalDate().toString();
                return new Ownership(rep, new RoutingReason("account-owner", "contact.companyDomain", domain,
                        "Account " + domain + " already owned by " + rep.name() + " since " + since + "."), false);
            }
        }

        for (Rule<String> rule : rules.owners().rules()) {
            if (!Conditions.matches(rule.when(), facts, pipeline, plan)) {
                continue;
            }
            Rep picked;
            String how = "";
            List<Rep> team = teams.get(rule.outcome());
            if (team != null) {
                picked = roundRobin(rule.outcome(), team, today, state, skipped);
                how = picked == null || words == null ? "" : " Weighted round robin over team " + rule.outcome() + " picked " + picked.name() + ".";
            } else {
                Rep rep = reps.get(rule.outcome());
                Availability availability = availability(rep, today, state);
                picked = availability.available() ? rep : null;
                if (!availability.available()) {
                    skipped.add("rule " + rule.id() + " names " + rep.name() + ", who is " + availability.reason());
                }
            }
            if (picked != null) {
                if (words == null) {
                    return assign(picked, domain, account, accountOwnerGone, now, today, state, ruleOnly(rule.id()));
                }
                words.owner(picked.name(), rule.outcome());
                return assign(picked, domain, account, accountOwnerGone, now, today, state,
                        reason(rule.id(), Conditions.hits(rule.when(), facts, pipeline, plan), rule.because(), words, how, skipped));
            }
        }

        String team = rules.owners().fallbackTeam();
        Rep picked = roundRobin(team, teams.get(team), today, state, skipped);
        if (picked != null) {
            if (words == null) {
                return assign(picked, domain, account, accountOwnerGone, now, today, state, ruleOnly("round-robin"));
            }
            String explanation = "No owner rule matched, so weighted round robin over team " + team + " picked " + picked.name() + ".";
            return assign(picked, domain, account, accountOwnerGone, now, today, state,
                    new RoutingReason("round-robin", "owner", team, explanation + skippedNote(skipped)));
        }
        Rep fallback = rules.owners().fallbackOwner();
        if (words == null) {
            return new Ownership(fallback, ruleOnly("fallback-owner"), true);
        }
        words.owner(fallback.name(), team);
        String explanation = sentence(rules.owners().fallbackBecause()).fill(words);
        return new Ownership(fallback, new RoutingReason("fallback-owner", "owner", team, explanation + skippedNote(skipped)), true);
    }

    private Ownership assign(Rep rep, String domain, Optional<AccountOwner> account, boolean accountOwnerGone, Instant now,
                             LocalDate today, RoutingState state, RoutingReason reason) {
        state.recordAssignment(rep.id(), today);
        if (domain != null && rules.owners().stickiness() && (account.isEmpty() || accountOwnerGone)) {
            state.recordAccountOwner(domain, new AccountOwner(rep.id(), now));
        }
        return new Ownership(rep, reason, false);
    }

    /**
     * Smooth weighted round robin (as nginx balances upstreams) over the team's available members:
     * each gains its weight, the highest is picked and pays back the total. Over any run the split
     * follows the weights, without bursts, and the weights live in the state so restarts keep the balance.
     */
    private Rep roundRobin(String team, List<Rep> members, LocalDate today, RoutingState state, List<String> skipped) {
        List<Rep> candidates = new ArrayList<>(members.size());
        long total = 0;
        for (Rep rep : members) {
            Availability availability = availability(rep, today, state);
            if (!availability.available()) {
                String note = rep.name() + " is " + availability.reason();
                if (!skipped.contains(note)) {
                    skipped.add(note);
                }
            } else if (rep.weight() > 0) {
                candidates.add(rep);
                total += rep.weight();
            }
        }
        if (candidates.isEmpty()) {
            return null;
        }
        Rep best = null;
        long bestWeight = Long.MIN_VALUE;
        for (Rep rep : candidates) {
            long weight = state.roundRobinWeight(team, rep.id()) + rep.weight();
            state.setRoundRobinWeight(team, rep.id(), weight);
            if (weight > bestWeight) {
                best = rep;
                bestWeight = weight;
            }
        }
        state.setRoundRobinWeight(team, best.id(), bestWeight - total);
        return best;
    }

    // ---- reasons and sentences -------------------------------------------------------------------

    private RoutingReason reason(String rule, List<Conditions.Hit> hits, String because, Words words) {
        return reason(rule, hits, because, words, "", List.of());
    }

    private RoutingReason reason(String rule, List<Conditions.Hit> hits, String because, Words words, String how, List<String> skipped) {
        String text = sentence(because).fill(words);
        return new RoutingReason(rule, Conditions.fields(hits), Conditions.values(hits),
                how.isEmpty() && skipped.isEmpty() ? text : text + how + skippedNote(skipped));
    }

    /** A reason that names only its rule, for {@link Detail#RULES}. */
    private static RoutingReason ruleOnly(String rule) {
        return new RoutingReason(rule, "", null, "");
    }

    private static String skippedNote(List<String> skipped) {
        if (skipped.isEmpty()) {
            return "";
        }
        return " Skipped: " + String.join("; ", skipped) + ".";
    }

    /** The sentence cut into pieces: every sentence of the rules is prepared while the constructor runs, then only read. */
    private Template sentence(String text) {
        Template template = sentences.get(text);
        return template != null ? template : Template.parse(text);
    }

    private void prepare(String text) {
        sentences.computeIfAbsent(text, Template::parse);
    }
}
