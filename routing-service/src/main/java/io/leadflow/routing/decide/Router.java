package io.leadflow.routing.decide;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.Plan;
import io.leadflow.avro.RoutingFlag;
import io.leadflow.avro.RoutingReason;
import io.leadflow.routing.rules.Criterion;
import io.leadflow.routing.rules.Rep;
import io.leadflow.routing.rules.RoutingRules;
import io.leadflow.routing.rules.RoutingRules.FlagRule;
import io.leadflow.routing.rules.Rule;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides pipeline, plan and owner for a lead from the rules, with a reason for each and the flags
 * and next steps for the owner. Pure logic: the only memory is the {@link RoutingState} passed in,
 * and "now" is an argument.
 */
public final class Router {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");

    private final RoutingRules rules;

    public Router(RoutingRules rules) {
        this.rules = rules;
    }

    public RoutingRules rules() {
        return rules;
    }

    public LocalDate today(Instant now) {
        return now.atZone(rules.timeZone()).toLocalDate();
    }

    public Decision decide(LeadReceived lead, Instant now, RoutingState state) {
        LeadFacts facts = new LeadFacts(lead, rules.plan());
        List<RoutingReason> reasons = new ArrayList<>();
        Map<String, String> words = words(facts);

        Pipeline pipeline = null;
        for (Rule<Pipeline> rule : rules.pipeline().rules()) {
            Optional<List<Conditions.Hit>> hits = Conditions.match(rule.when(), facts, null, null);
            if (hits.isPresent()) {
                pipeline = rule.outcome();
                reasons.add(reason(rule.id(), hits.get(), rule.because(), words));
                break;
            }
        }
        if (pipeline == null) {
            pipeline = rules.pipeline().defaultPipeline();
            reasons.add(reason("pipeline-default", lookedAt(rules.pipeline().rules(), facts, null, null),
                    rules.pipeline().defaultBecause(), words));
        }
        words.put("pipeline", Labels.pipeline(pipeline));

        Plan plan = null;
        for (Rule<Plan> rule : rules.plan().rules()) {
            Optional<List<Conditions.Hit>> hits = Conditions.match(rule.when(), facts, pipeline, null);
            if (hits.isPresent()) {
                plan = rule.outcome();
                reasons.add(reason(rule.id(), hits.get(), rule.because(), words));
                break;
            }
        }
        if (plan == null) {
            plan = rules.plan().defaultPlan();
            reasons.add(reason("plan-default", lookedAt(rules.plan().rules(), facts, pipeline, null),
                    rules.plan().defaultBecause(), words));
        }
        words.put("plan", Labels.plan(plan));

        List<RoutingFlag> flags = new ArrayList<>();
        Ownership ownership = owner(facts, pipeline, plan, now, state, words);
        reasons.add(ownership.reason());
        words.put("rep", ownership.rep().name());
        for (FlagRule flag : rules.flags()) {
            if (Conditions.match(flag.when(), facts, pipeline, plan).isPresent()) {
                flags.add(new RoutingFlag(flag.code(), fill(flag.explanation(), words)));
            }
        }
        if (ownership.fallback()) {
            flags.add(new RoutingFlag("NO_REP_AVAILABLE", ownership.reason().getExplanation()));
        }
        return new Decision(pipeline, plan, ownership.rep(), ownership.fallback(), reasons, flags,
                rules.nextSteps(pipeline), rules.version());
    }

    /** Whether a rep can take a new lead now: active, not out of office, under the daily cap. */
    public Availability availability(Rep rep, Instant now, RoutingState state) {
        LocalDate today = today(now);
        long assigned = state.assignedOn(rep.id(), today);
        if (!rep.active()) {
            return new Availability(false, "inactive", assigned);
        }
        Optional<Rep.OutOfOffice> absence = rep.absentOn(today);
        if (absence.isPresent()) {
            return new Availability(false, "out of office until " + absence.get().to(), assigned);
        }
        if (rep.dailyCap() != null && assigned >= rep.dailyCap()) {
            return new Availability(false, "reached the daily cap of " + rep.dailyCap(), assigned);
        }
        return new Availability(true, null, assigned);
    }

    // ---- ownership -------------------------------------------------------------------------------

    private record Ownership(Rep rep, RoutingReason reason, boolean fallback) {
    }

    private Ownership owner(LeadFacts facts, Pipeline pipeline, Plan plan, Instant now, RoutingState state, Map<String, String> words) {
        LocalDate today = today(now);
        List<String> skipped = new ArrayList<>();
        String domain = facts.domain;
        Optional<AccountOwner> account = domain == null ? Optional.empty() : state.accountOwner(domain);
        boolean accountOwnerGone = false;

        if (rules.owners().stickiness() && account.isPresent()) {
            Optional<Rep> rep = rules.rep(account.get().repId());
            if (rep.isEmpty() || !rep.get().active()) {
                accountOwnerGone = true;
                skipped.add("account " + domain + " belonged to " + rep.map(Rep::name).orElse(account.get().repId())
                        + ", who no longer takes leads");
            } else if (rep.get().absentOn(today).isPresent()) {
                skipped.add("account owner " + rep.get().name() + " is out of office until " + rep.get().absentOn(today).get().to());
            } else {
                Rep owner = rep.get();
                state.recordAssignment(owner.id(), today);
                String since = account.get().since().atZone(rules.timeZone()).toLocalDate().toString();
                return new Ownership(owner, new RoutingReason("account-owner", "contact.companyDomain", domain,
                        "Account " + domain + " already owned by " + owner.name() + " since " + since + "."), false);
            }
        }

        for (Rule<String> rule : rules.owners().rules()) {
            Optional<List<Conditions.Hit>> hits = Conditions.match(rule.when(), facts, pipeline, plan);
            if (hits.isEmpty()) {
                continue;
            }
            Optional<Rep> picked;
            String how = "";
            if (rules.isTeam(rule.outcome())) {
                picked = roundRobin(rule.outcome(), now, state, skipped);
                how = picked.map(rep -> " Weighted round robin over team " + rule.outcome() + " picked " + rep.name() + ".").orElse("");
            } else {
                Rep rep = rules.rep(rule.outcome()).orElseThrow();
                Availability availability = availability(rep, now, state);
                picked = availability.available() ? Optional.of(rep) : Optional.empty();
                if (!availability.available()) {
                    skipped.add("rule " + rule.id() + " names " + rep.name() + ", who is " + availability.reason());
                }
            }
            if (picked.isPresent()) {
                return assign(picked.get(), domain, account, accountOwnerGone, now, state,
                        reason(rule.id(), hits.get(), rule.because(), with(words, "rep", picked.get().name(), "team", rule.outcome()), how, skipped));
            }
        }

        String team = rules.owners().fallbackTeam();
        Optional<Rep> picked = roundRobin(team, now, state, skipped);
        if (picked.isPresent()) {
            Rep rep = picked.get();
            String explanation = "No owner rule matched, so weighted round robin over team " + team + " picked " + rep.name() + ".";
            return assign(rep, domain, account, accountOwnerGone, now, state,
                    new RoutingReason("round-robin", "owner", team, explanation + skippedNote(skipped)));
        }
        Rep fallback = rules.owners().fallbackOwner();
        String explanation = fill(rules.owners().fallbackBecause(), with(words, "rep", fallback.name(), "team", team));
        return new Ownership(fallback, new RoutingReason("fallback-owner", "owner", team, explanation + skippedNote(skipped)), true);
    }

    private Ownership assign(Rep rep, String domain, Optional<AccountOwner> account, boolean accountOwnerGone, Instant now,
                             RoutingState state, RoutingReason reason) {
        state.recordAssignment(rep.id(), today(now));
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
    private Optional<Rep> roundRobin(String team, Instant now, RoutingState state, List<String> skipped) {
        List<Rep> candidates = new ArrayList<>();
        for (String id : rules.teams().get(team)) {
            Rep rep = rules.rep(id).orElseThrow();
            Availability availability = availability(rep, now, state);
            if (!availability.available()) {
                String note = rep.name() + " is " + availability.reason();
                if (!skipped.contains(note)) {
                    skipped.add(note);
                }
            } else if (rep.weight() > 0) {
                candidates.add(rep);
            }
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        long total = candidates.stream().mapToLong(Rep::weight).sum();
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
        return Optional.of(best);
    }

    // ---- reasons and sentences -------------------------------------------------------------------

    private static List<Conditions.Hit> lookedAt(List<? extends Rule<?>> rules, LeadFacts facts, Pipeline pipeline, Plan plan) {
        List<List<Criterion>> whens = rules.stream().map(Rule::when).map(w -> (List<Criterion>) w).toList();
        return Conditions.lookedAt(whens, facts, pipeline, plan);
    }

    private static RoutingReason reason(String rule, List<Conditions.Hit> hits, String because, Map<String, String> words) {
        return reason(rule, hits, because, words, "", List.of());
    }

    private static RoutingReason reason(String rule, List<Conditions.Hit> hits, String because, Map<String, String> words,
                                        String how, List<String> skipped) {
        return new RoutingReason(rule, Conditions.fields(hits), Conditions.values(hits), fill(because, words) + how + skippedNote(skipped));
    }

    private static String skippedNote(List<String> skipped) {
        if (skipped.isEmpty()) {
            return "";
        }
        return " Skipped: " + String.join("; ", skipped) + ".";
    }

    private static Map<String, String> words(LeadFacts facts) {
        Map<String, String> words = new HashMap<>();
        LeadReceived lead = facts.lead;
        words.put("monthlyEvents", Labels.number(lead.getMonthlyEvents()));
        words.put("monthlyActiveUsers", Labels.number(lead.getMonthlyActiveUsers()));
        words.put("planInterest", Labels.planInterest(lead.getPlanInterest()));
        words.put("region", lead.getContact() == null ? "unknown" : Labels.region(lead.getContact().getRegion()));
        words.put("country", lead.getContact() == null || lead.getContact().getCountry() == null ? "unknown" : lead.getContact().getCountry());
        words.put("needs", Labels.needs(facts.needs));
        words.put("volume", facts.volumeText);
        words.put("technical", facts.technicalText);
        words.put("company", facts.company());
        words.put("domain", facts.domain == null ? "unknown" : facts.domain);
        words.put("plan", "unknown");
        words.put("pipeline", "unknown");
        words.put("rep", "the owner");
        words.put("team", "unknown");
        return words;
    }

    private static Map<String, String> with(Map<String, String> words, String key, String value, String key2, String value2) {
        Map<String, String> copy = new HashMap<>(words);
        copy.put(key, value);
        copy.put(key2, value2);
        return copy;
    }

    static String fill(String template, Map<String, String> words) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(sb, Matcher.quoteReplacement(words.getOrDefault(matcher.group(1), matcher.group())));
        }
        matcher.appendTail(sb);
        return sb.toString();
    }
}
