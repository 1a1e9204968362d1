package io.leadflow.testing;

import java.util.List;

/**
 * A routing rules file for tests and benchmarks: every lead self-serve on the cloud plan, owned by the team {@code pool}
 * in turn, the sales team as the fallback owner. What a test is about (its reps, owner rules, SLA policies) it adds;
 * the rest is the same small file everywhere. Blocks are YAML lines as they stand in the file, indented under their key.
 */
public final class PooledRules {

    private final String version;
    private final StringBuilder reps = new StringBuilder();
    private List<String> team = List.of();
    private String pipelineRules = "";
    private String ownerRules = "";
    private String fallbackBecause;
    private String sla = "";
    private String handsOnNextStep = "Set up a channel.";

    private PooledRules(String version) {
        this.version = version;
    }

    /** A rules file named {@code version}, with no reps yet. */
    public static PooledRules version(String version) {
        return new PooledRules(version);
    }

    /** One rep as a YAML flow mapping, such as <code>{ id: ana, name: Ana, email: ana@example.com }</code>. */
    public PooledRules rep(String flowMapping) {
        reps.append("  - ").append(flowMapping).append('\n');
        return this;
    }

    /** Reps as YAML list items indented two spaces under {@code reps:}. */
    public PooledRules reps(String block) {
        reps.append(block.endsWith("\n") ? block : block + "\n");
        return this;
    }

    /** The members of the team {@code pool}. */
    public PooledRules team(String... members) {
        team = List.of(members);
        return this;
    }

    /** Rules under {@code pipeline.rules:}, list items indented four spaces. */
    public PooledRules pipelineRules(String block) {
        pipelineRules = block;
        return this;
    }

    /** Rules under {@code owners.rules:}, list items indented four spaces. */
    public PooledRules ownerRules(String block) {
        ownerRules = block;
        return this;
    }

    /** The fallback owner's {@code because:}. */
    public PooledRules fallbackBecause(String because) {
        fallbackBecause = because;
        return this;
    }

    /** Policies under {@code sla:}, list items indented two spaces. */
    public PooledRules sla(String block) {
        sla = block;
        return this;
    }

    /** The hands-on pipeline's next step. */
    public PooledRules handsOnNextStep(String step) {
        handsOnNextStep = step;
        return this;
    }

    public String yaml() {
        StringBuilder yaml = new StringBuilder()
                .append("version: ").append(version).append('\n')
                .append("timeZone: UTC\n")
                .append("reps:\n").append(reps)
                .append("teams:\n  pool: [").append(String.join(", ", team)).append("]\n")
                .append("pipeline:\n");
        section(yaml, "  rules:\n", pipelineRules);
        yaml.append("  default: { pipeline: SELF_SERVE, because: Self-serve. }\n")
                .append("plan:\n")
                .append("  highVolume: { monthlyEventsAtLeast: 10000000 }\n")
                .append("  default: { plan: CLOUD, because: Cloud. }\n")
                .append("owners:\n");
        section(yaml, "  rules:\n", ownerRules);
        yaml.append("  fallback:\n")
                .append("    team: pool\n")
                .append("    owner: { id: sales, name: Sales team, email: sales@example.com }\n");
        if (fallbackBecause != null) {
            yaml.append("    because: ").append(fallbackBecause).append('\n');
        }
        section(yaml, "sla:\n", sla);
        return yaml.append("nextSteps:\n")
                .append("  SELF_SERVE: [Follow up.]\n")
                .append("  HANDS_ON: [").append(handsOnNextStep).append("]\n")
                .toString();
    }

    private static void section(StringBuilder yaml, String key, String block) {
        if (!block.isEmpty()) {
            yaml.append(key).append(block.endsWith("\n") ? block : block + "\n");
        }
    }
}
