package io.leadflow.routing.rules;

import io.leadflow.avro.Need;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.Plan;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A validated rules file: the handbook's routing as data. Built only by {@link RulesLoader}.
 *
 * @param version   quoted as {@code rulesVersion} on every decision
 * @param source    where the rules were read from (a path or a classpath resource)
 * @param timeZone  the zone "today" is counted in, for daily caps and out-of-office dates
 * @param reps      every rep, in file order
 * @param teams     team id to member rep ids, in file order
 * @param pipeline  pipeline rules, first match wins
 * @param plan      the plan matrix
 * @param owners    owner rules, first match wins, then the fallback team, then the fallback owner
 * @param flags     notes for the rep; every matching one is attached
 * @param sla       how fast an owner must accept a lead, first match wins; no match, no clock
 * @param nextSteps the handbook's next steps per pipeline
 * @param tasks     the owner's CRM tasks per pipeline, in file order
 * @param demoTasks the owner's CRM tasks for a booked demo, in file order
 */
public record RoutingRules(String version, String source, ZoneId timeZone, List<Rep> reps, Map<String, List<String>> teams,
                           PipelineRules pipeline, PlanRules plan, OwnerRules owners, List<FlagRule> flags,
                           List<SlaPolicy> sla, Map<Pipeline, List<String>> nextSteps,
                           Map<Pipeline, List<TaskRule>> tasks, List<TaskRule> demoTasks) {

    public Optional<Rep> rep(String id) {
        return reps.stream().filter(rep -> rep.id().equals(id)).findFirst();
    }

    /** A rep by Slack user id (the fallback owner too). */
    public Optional<Rep> repBySlackUser(String slackUserId) {
        if (slackUserId == null) {
            return Optional.empty();
        }
        return java.util.stream.Stream.concat(reps.stream(), java.util.stream.Stream.of(owners.fallbackOwner()))
                .filter(rep -> slackUserId.equals(rep.slackUserId())).findFirst();
    }

    /** A rep by HubSpot owner id (the fallback owner too). */
    public Optional<Rep> repByHubspotOwner(String hubspotOwnerId) {
        if (hubspotOwnerId == null) {
            return Optional.empty();
        }
        return java.util.stream.Stream.concat(reps.stream(), java.util.stream.Stream.of(owners.fallbackOwner()))
                .filter(rep -> hubspotOwnerId.equals(rep.hubspotOwnerId())).findFirst();
    }

    /** A rep or the fallback owner by id. */
    public Optional<Rep> repOrFallback(String id) {
        return owners.fallbackOwner().id().equals(id) ? Optional.of(owners.fallbackOwner()) : rep(id);
    }

    public boolean isTeam(String id) {
        return teams.containsKey(id);
    }

    public List<String> teamsOf(String repId) {
        return teams.entrySet().stream().filter(e -> e.getValue().contains(repId)).map(Map.Entry::getKey).toList();
    }

    public List<String> nextSteps(Pipeline pipeline) {
        return nextSteps.getOrDefault(pipeline, List.of());
    }

    public List<TaskRule> tasks(Pipeline pipeline) {
        return tasks.getOrDefault(pipeline, List.of());
    }

    /** Pipeline rules; when none matches, {@code defaultPipeline} with {@code defaultBecause}. */
    public record PipelineRules(List<Rule<Pipeline>> rules, Pipeline defaultPipeline, String defaultBecause) {
    }

    /**
     * The plan matrix and the facts it reads.
     *
     * @param highVolumeEvents    monthly events from which volume counts as high
     * @param highVolumeUsers     monthly active users from which volume counts as high, used only when events are unknown; null to never
     * @param technicalNeeds      needs that show a technical team (e.g. self-hosting)
     * @param technicalTitles     job titles that show a technical contact (case-insensitive RE2 expressions, whole words)
     * @param privacyNeeds        needs that count as privacy needs
     */
    public record PlanRules(long highVolumeEvents, Long highVolumeUsers, Set<Need> technicalNeeds, TextPattern technicalTitles,
                            Set<Need> privacyNeeds, List<Rule<Plan>> rules, Plan defaultPlan, String defaultBecause) {
    }

    /**
     * Ownership.
     *
     * @param stickiness     whether an account (company domain) keeps its first owner
     * @param rules          owner rules; the outcome is a rep id or a team id
     * @param fallbackTeam   the team unmatched leads are round-robined over
     * @param fallbackOwner  who gets a lead when no rep is available
     * @param fallbackBecause sentence for the fallback owner's reason
     */
    public record OwnerRules(boolean stickiness, List<Rule<String>> rules, String fallbackTeam, Rep fallbackOwner,
                             String fallbackBecause) {
    }

    /** A note for the rep, attached whenever its criteria hold. */
    public record FlagRule(String code, List<Criterion> when, String explanation, int line) {
    }
}
