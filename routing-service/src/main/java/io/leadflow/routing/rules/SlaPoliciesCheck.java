package io.leadflow.routing.rules;

import io.leadflow.routing.rules.Criterion.Key;
import io.leadflow.routing.rules.RulesFile.SlaEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The {@code sla:} policies of a rules file, checked for {@link RulesLoader}, which reports each problem at its line. */
final class SlaPoliciesCheck {

    private static final Pattern SLACK_CHANNEL = Pattern.compile("[A-Z0-9]{2,40}");

    private final RulesLoader loader;

    SlaPoliciesCheck(RulesLoader loader) {
        this.loader = loader;
    }

    List<SlaPolicy> read(List<SlaEntry> entries) {
        List<SlaPolicy> policies = new ArrayList<>();
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (int i = 0; entries != null && i < entries.size(); i++) {
            SlaEntry entry = entries.get(i);
            String path = "sla[" + i + "]";
            if (entry == null || !loader.id(entry.id(), path + ".id")) {
                continue;
            }
            if (ids.putIfAbsent(entry.id(), loader.line(path)) != null) {
                loader.problem(path + ".id", "duplicate SLA id '" + entry.id() + "' (first at line " + ids.get(entry.id()) + ")");
            }
            List<Criterion> when = loader.criteria(entry.when(), path, EnumSet.noneOf(Key.class));
            Duration remind = loader.duration(entry.remindAfter(), path + ".remindAfter");
            Duration reassign = loader.duration(entry.reassignAfter(), path + ".reassignAfter");
            if (entry.remindAfter() == null && entry.reassignAfter() == null) {
                loader.problem(path, "needs remindAfter, reassignAfter or both");
            }
            if (remind != null && reassign != null && remind.compareTo(reassign) >= 0) {
                loader.problem(path + ".remindAfter", "must be shorter than reassignAfter (" + entry.reassignAfter() + "), was " + entry.remindAfter());
            }
            if (entry.escalateTo() != null && !SLACK_CHANNEL.matcher(entry.escalateTo()).matches()) {
                loader.problem(path + ".escalateTo", "must be a Slack channel id such as C0123456789, was '" + entry.escalateTo() + "'");
            }
            loader.atLeast(0, entry.maxReassignments(), path + ".maxReassignments");
            policies.add(new SlaPolicy(entry.id(), when, remind, reassign, entry.escalateTo(),
                    entry.maxReassignments() == null ? 1 : entry.maxReassignments(), Boolean.TRUE.equals(entry.workingHoursOnly()), loader.line(path)));
        }
        return List.copyOf(policies);
    }
}
