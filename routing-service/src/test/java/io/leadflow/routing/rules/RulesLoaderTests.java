package io.leadflow.routing.rules;

import io.leadflow.avro.Pipeline;
import io.leadflow.routing.rules.InvalidFileException.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.leadflow.routing.RulesFiles.defaults;
import static io.leadflow.routing.RulesFiles.lineOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

class RulesLoaderTests {

    @Test
    void theDefaultFileReproducesTheHandbooksTwoProfilesAndFallback() {
        RoutingRules rules = RulesLoader.loadDefault();

        assertThat(rules.version()).isEqualTo("handbook-2026.1");
        assertThat(rules.reps()).extracting(Rep::id).containsExactly("cameron", "simon");
        assertThat(rules.owners().rules()).extracting(r -> r.id() + "->" + r.outcome())
                .containsExactly("group-demo->cameron", "yc-onboarding->cameron", "scale-us->cameron", "scale-us-recommended->cameron",
                        "scale-eu->simon", "scale-eu-recommended->simon", "enterprise->simon", "enterprise-recommended->simon");
        assertThat(rules.owners().fallbackTeam()).isEqualTo("cs");
        assertThat(rules.owners().fallbackOwner().id()).isEqualTo("sales");
        assertThat(rules.nextSteps(Pipeline.SELF_SERVE)).isNotEmpty();
        assertThat(rules.nextSteps(Pipeline.HANDS_ON)).isNotEmpty();
    }

    @Test
    void eachRepOfTheDefaultFileHasAnHttpsBookingPageAndTheFallbackOwnerNone() {
        RoutingRules rules = RulesLoader.loadDefault();

        assertThat(rules.reps()).extracting(Rep::id, Rep::bookingUrl).containsExactly(
                tuple("cameron", "https://calendly.com/leadflow-cameron/30min"),
                tuple("simon", "https://calendly.com/leadflow-simon/30min"));
        assertThat(rules.owners().fallbackOwner().bookingUrl()).isNull();
    }

    @Test
    void aBookingUrlThatIsNotAnAbsoluteHttpsUrlIsRejectedAtItsLine() {
        for (String bad : new String[] {"http://calendly.com/leadflow-cameron/30min", "calendly.com/leadflow-cameron", "/book/cameron",
                "javascript:alert(1)", "https://user:pw@calendly.com/x", "https://calendly.com/a b", "https:///nohost"}) {
            String yaml = defaults().replace("bookingUrl: https://calendly.com/leadflow-cameron/30min", "bookingUrl: \"" + bad + "\"");

            InvalidRulesException e = invalid(yaml);

            assertThat(e).as(bad).isNotNull();
            assertThat(e.problems()).as(bad).singleElement().satisfies(problem -> {
                assertThat(problem.line()).isEqualTo(lineOf(yaml, "bookingUrl: \"" + bad));
                assertThat(problem.path()).isEqualTo("reps[0].bookingUrl");
                assertThat(problem.message()).startsWith("must be an absolute https URL");
            });
        }
    }

    @Test
    void aRepWithoutABookingUrlLoads() {
        String yaml = defaults().replaceFirst("\n    bookingUrl: https://calendly.com/leadflow-cameron/30min[^\n]*", "");

        assertThat(RulesLoader.parse(yaml, "test.yml").reps().get(0).bookingUrl()).isNull();
    }

    @Test
    void aRuleNamingAnUnknownRepFailsWithItsLine() {
        String yaml = defaults().replace("assign: simon\n      because: \"{rep} looks after Enterprise customers, and",
                "assign: simone\n      because: \"{rep} looks after Enterprise customers, and");

        InvalidRulesException e = invalid(yaml);

        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf(yaml, "assign: simone"));
            assertThat(problem.path()).isEqualTo("owners.rules[6].assign");
            assertThat(problem.message()).contains("unknown rep or team 'simone'", "[cameron, simon]");
        });
        assertThat(e.getMessage()).contains("line " + lineOf(yaml, "assign: simone") + ": owners.rules[6].assign: unknown rep or team 'simone'");
    }

    @Test
    void aNegativeWeightFailsWithItsLine() {
        String yaml = defaults().replaceFirst("weight: 1 ", "weight: -2 ");

        InvalidRulesException e = invalid(yaml);

        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf(yaml, "weight: -2"));
            assertThat(problem.message()).isEqualTo("must be 0 or more, was -2");
        });
    }

    @Test
    void badYamlFailsWithTheLineOfTheSyntaxError() {
        String yaml = "version: 1\nreps:\n  - id: ana\n    name: [unclosed\n    email: a@example.com\n";

        InvalidRulesException e = invalid(yaml);

        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isBetween(4, 6);
            assertThat(problem.message()).startsWith("not valid YAML");
        });
    }

    @Test
    void everyProblemIsReportedAtOnceInLineOrder() {
        String yaml = defaults()
                .replace("timeZone: UTC ", "timeZone: Mars/Olympus ")
                .replace("when: { yCombinator: true }", "when: { yCombinatr: true }")
                .replace("dailyCap: 40 ", "dailyCap: lots ")
                .replace("plan: SCALE\n      because: High volume", "plan: PLATINUM\n      because: High volume");

        InvalidRulesException e = invalid(yaml);

        assertThat(e.problems()).extracting(Problem::message).anySatisfy(m -> assertThat(m).contains("unknown time zone 'Mars/Olympus'"))
                .anySatisfy(m -> assertThat(m).contains("unknown condition 'yCombinatr'"))
                .anySatisfy(m -> assertThat(m).contains("must be a whole number, was 'lots'"))
                .anySatisfy(m -> assertThat(m).contains("unknown Plan 'PLATINUM'"));
        assertThat(e.problems()).extracting(Problem::line).isSorted().allSatisfy(line -> assertThat(line).isPositive());
    }

    @Test
    void unknownKeysAndPlaceholdersAreCaughtNotIgnored() {
        String yaml = defaults().replaceFirst("dailyCap: 40", "dailyCapp: 40")
                .replace("{rep} looks after group demos.", "{owner} looks after group demos.");

        InvalidRulesException e = invalid(yaml);

        assertThat(e.problems()).extracting(Problem::message)
                .anySatisfy(m -> assertThat(m).startsWith("unknown key 'dailyCapp'"))
                .anySatisfy(m -> assertThat(m).startsWith("unknown placeholder {owner}"));
    }

    @Test
    void anOwnerRuleMayAskForThePlanTheLeadNamedWhichIsCheckedLikeEveryCondition() {
        String yaml = defaults().replace("when: { planInterest: SCALE, region: US }", "when: { planInterest: [SCALE, PLATINUM], region: US }")
                .replace("when: { planInterest: SCALE, region: EU }", "when: { planInterest: [], region: EU }")
                .replace("privacyNeeds: [SELF_HOSTING, PRIVACY_COMPLIANCE, AIR_GAPPED]", "privacyNeeds: [SELF_HOSTING, TELEPATHY]");

        InvalidRulesException e = invalid(yaml);

        assertThat(e.problems()).extracting(Problem::line, Problem::message).containsExactly(
                tuple(lineOf(yaml, "privacyNeeds: [SELF_HOSTING, TELEPATHY]"),
                        "unknown Need 'TELEPATHY', expected one of [SSO, PROJECT_PERMISSIONS, SELF_HOSTING, PRIVACY_COMPLIANCE, NON_STANDARD_BILLING, MSA, AIR_GAPPED, OTHER]"),
                tuple(lineOf(yaml, "planInterest: [SCALE, PLATINUM]"),
                        "unknown PlanInterest 'PLATINUM', expected one of [CLOUD, SCALE, ENTERPRISE, OPEN_SOURCE, UNKNOWN]"),
                tuple(lineOf(yaml, "planInterest: [], region: EU"), "must list at least one value"));
        assertThat(RulesLoader.loadDefault().owners().rules()).filteredOn(rule -> rule.id().equals("scale-eu")).singleElement()
                .satisfies(rule -> assertThat(rule.when()).extracting(Criterion::key).containsExactly(Criterion.Key.PLAN_INTEREST, Criterion.Key.REGION));
    }

    @Test
    void aConditionOnTheRecommendedPlanCannotDecideThePipeline() {
        String yaml = defaults().replace("when: { monthlyEventsAbove: 50000000 }", "when: { plan: ENTERPRISE }");

        assertThat(invalid(yaml).problems()).singleElement().satisfies(problem ->
                assertThat(problem.message()).contains("cannot be used here"));
    }

    @Test
    void anOutOfOfficePeriodEndingBeforeItStartsIsRejected() {
        String yaml = defaults().replaceFirst("outOfOffice: \\[] ", "outOfOffice: [{ from: 2026-08-14, to: 2026-08-03 }] ");

        assertThat(invalid(yaml).problems()).singleElement().satisfies(problem ->
                assertThat(problem.message()).isEqualTo("ends (2026-08-03) before it starts (2026-08-14)"));
    }

    @Test
    void anUnknownKeyIsReportedAtItsLineWithTheKeysThatAreKnown() {
        String yaml = defaults().replaceFirst("dailyCap: 40 ", "dailyLimit: 40 ");

        InvalidRulesException e = invalid(yaml);

        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf(yaml, "dailyLimit: 40"));
            assertThat(problem.path()).isEqualTo("reps[0]");
            assertThat(problem.message()).startsWith("unknown key 'dailyLimit', expected one of [").contains("dailyCap", "weight");
        });
    }

    @Test
    void aValueOfTheWrongTypeIsReportedAtItsLine() {
        String yaml = defaults().replaceFirst("weight: 1 ", "weight: heavy ")
                .replace("name: Simon", "name: [Simon, Simone]");

        InvalidRulesException e = invalid(yaml);

        assertThat(e.problems()).satisfiesExactly(
                weight -> {
                    assertThat(weight.line()).isEqualTo(lineOf(yaml, "weight: heavy"));
                    assertThat(weight.path()).isEqualTo("reps[0].weight");
                    assertThat(weight.message()).isEqualTo("must be a whole number, was 'heavy'");
                },
                name -> {
                    assertThat(name.line()).isEqualTo(lineOf(yaml, "name: [Simon, Simone]"));
                    assertThat(name.path()).isEqualTo("reps[1].name");
                    assertThat(name.message()).isEqualTo("must be a single value, was a list");
                });
    }

    @Test
    void aMissingRequiredKeyIsReportedAtTheLineOfItsMappingAndAnEmptyOneAtItsOwn() {
        String yaml = defaults().replace("      because: \"{rep} looks after group demos.\"\n", "")
                .replace("because: \"{rep} looks after Enterprise customers, and they asked for Enterprise.\"", "because:   # to do");

        InvalidRulesException e = invalid(yaml);

        assertThat(e.problems()).satisfiesExactly(
                missing -> {
                    assertThat(missing.line()).isEqualTo(lineOf(yaml, "- id: group-demo"));
                    assertThat(missing.path()).isEqualTo("owners.rules[0]");
                    assertThat(missing.message()).isEqualTo("'because' is required");
                },
                empty -> {
                    assertThat(empty.line()).isEqualTo(lineOf(yaml, "because:   # to do"));
                    assertThat(empty.path()).isEqualTo("owners.rules[6].because");
                    assertThat(empty.message()).isEqualTo("must have a value");
                });
    }

    @Test
    void aTeamMemberWhoIsNoRepIsReportedAtTheMembersLine() {
        String yaml = defaults().replace("cs: [cameron, simon]", "cs:\n    - cameron\n    - simone");

        InvalidRulesException e = invalid(yaml);

        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf(yaml, "- simone"));
            assertThat(problem.path()).isEqualTo("teams.cs[1]");
            assertThat(problem.message()).isEqualTo("unknown rep 'simone', expected one of [cameron, simon]");
        });
    }

    @Test
    void aTaskWithAnUnknownTypePriorityDueOrPlaceholderIsRefusedAtItsLine() {
        String yaml = defaults()
                .replace("      type: EMAIL\n      priority: MEDIUM\n", "      type: LETTER\n      priority: URGENT\n")
                .replace("due: 2d", "due: soon")
                .replace("Schedule kick-off call with {company}", "Schedule kick-off call with {customer}");

        InvalidRulesException e = invalid(yaml);

        assertThat(e.problems()).extracting(Problem::line, Problem::message).containsExactly(
                tuple(lineOf(yaml, "type: LETTER"), "unknown Type 'LETTER', expected one of [CALL, EMAIL, TODO]"),
                tuple(lineOf(yaml, "priority: URGENT"), "unknown Priority 'URGENT', expected one of [LOW, MEDIUM, HIGH]"),
                tuple(lineOf(yaml, "with {customer}"), "unknown placeholder {customer}, expected one of [booking, company, demoTime, person]"),
                tuple(lineOf(yaml, "due: soon"), "must be a duration such as 30s, 15m, 2h, 1d or PT15M, was 'soon'"));
    }

    @Test
    void onlyTheDemoTasksMayBeDueWhenTheDemoStartsAndOnlyOneOfThem() {
        String yaml = defaults().replace("due: 2d", "due: demoStart")
                + "    - id: demo-prep\n      subject: Prepare the demo\n      body: Prepare.\n      type: TODO\n      priority: LOW\n      due: demoStart\n";

        InvalidRulesException e = invalid(yaml);

        assertThat(e.problems()).extracting(Problem::line, Problem::message).containsExactly(
                tuple(lineOf(yaml, "due: demoStart"), "'demoStart' is only for the DEMO tasks, which a booked demo has"),
                tuple(yaml.lines().toList().size(), "only one task may be due at demoStart: it is the one moved with a rescheduled demo"));
    }

    @Test
    void theDefaultFileGivesEachPipelineAndABookedDemoTheirTasks() {
        RoutingRules rules = RulesLoader.loadDefault();

        assertThat(rules.tasks(Pipeline.SELF_SERVE)).extracting(TaskRule::id).containsExactly("follow-up");
        assertThat(rules.tasks(Pipeline.HANDS_ON)).extracting(TaskRule::id).containsExactly("slack-connect", "kick-off");
        assertThat(rules.demoTasks()).singleElement().satisfies(task -> assertThat(task.dueAtDemoStart()).isTrue());
    }

    @Test
    void bindingAndCrossReferenceProblemsAreReportedTogetherEachAtItsLine() {
        String yaml = defaults()
                .replace("timeZone: UTC ", "timezone: UTC ")
                .replaceFirst("active: true ", "active: maybe ")
                .replace("      because: \"{rep} looks after YC onboarding.\"\n", "")
                .replace("assign: simon\n      because: \"{rep} looks after Enterprise customers, and", "assign: simone\n      because: \"{rep} looks after Enterprise customers, and")
                .replace("team: cs ", "team: success ")
                .replace("- code: AIR_GAPPED_INSTALL", "- code: MSA_REQUESTED");

        InvalidRulesException e = invalid(yaml);

        assertThat(e.problems()).extracting(Problem::line, Problem::message).containsExactly(
                tuple(lineOf(yaml, "timezone: UTC"), "unknown key 'timezone', expected one of [flags, nextSteps, owners, pipeline, plan, reps, sla, tasks, teams, timeZone, version]"),
                tuple(lineOf(yaml, "active: maybe"), "must be true or false, was 'maybe'"),
                tuple(lineOf(yaml, "- id: yc-onboarding"), "'because' is required"),
                tuple(lineOf(yaml, "assign: simone"), "unknown rep or team 'simone', expected a rep [cameron, simon] or a team [cs]"),
                tuple(lineOf(yaml, "team: success"), "unknown team 'success', expected one of [cs]"),
                tuple(lineOf(yaml, "explanation: Wants an air-gapped install") - 2, "duplicate flag code 'MSA_REQUESTED'"));
        assertThat(e.getMessage()).startsWith("Invalid routing rules in test.yml (6 problems)")
                .contains("line " + lineOf(yaml, "- id: yc-onboarding") + ": owners.rules[1]: 'because' is required");
    }

    @Test
    void aTitlePatternRe2CannotRunInLinearTimeIsReportedAtItsLine() {
        String yaml = defaults().replace("- \"cto|cio\"", "- \"c(?=to)\"\n      - \"(dev)\\\\1\"\n      - \"(engineer)?\"");

        InvalidRulesException e = invalid(yaml);

        assertThat(e.problems()).extracting(Problem::line, Problem::path).containsExactly(
                tuple(lineOf(yaml, "c(?=to)"), "plan.technical.titles[0]"),
                tuple(lineOf(yaml, "(dev)"), "plan.technical.titles[1]"),
                tuple(lineOf(yaml, "\"(engineer)?\""), "plan.technical.titles[2]"));
        assertThat(e.problems().get(0).message()).startsWith("is not a valid RE2 regular expression");
        assertThat(e.problems().get(1).message()).startsWith("is not a valid RE2 regular expression");
        assertThat(e.problems().get(2).message()).isEqualTo("matches empty text, so it would match almost anything");
    }

    @Test
    void aMessagePatternIsCheckedAtItsOwnLine() {
        String yaml = defaults().replace("- 'cheaper'", "- 'cheap(?!skate)'")
                .replace("- 'free trial'", "- ''")
                .replace("when: { needs: [AIR_GAPPED] }", "when: { needs: [AIR_GAPPED], messageMatches: [] }");

        InvalidRulesException e = invalid(yaml);

        assertThat(e.problems()).extracting(Problem::line, Problem::path).containsExactly(
                tuple(lineOf(yaml, "messageMatches: []"), "flags[1].when.messageMatches"),
                tuple(lineOf(yaml, "cheap(?!skate)"), "flags[5].when.messageMatches[1]"),
                tuple(lineOf(yaml, "- ''"), "flags[6].when.messageMatches[0]"));
        assertThat(e.problems()).extracting(Problem::message).containsExactly("must list at least one value",
                "is not a valid RE2 regular expression: invalid or unsupported Perl syntax",
                "matches empty text, so it would match almost anything");
    }

    @Test
    void technicalTitlesMatchWholeWordsInAnyCase() {
        TextPattern titles = RulesLoader.loadDefault().plan().technicalTitles();

        assertThat(titles.matches("Senior Software ENGINEER")).isTrue();
        assertThat(titles.matches("VP of Engineering")).isTrue();
        assertThat(titles.matches("Co-founder & CTO")).isTrue();
        assertThat(titles.matches("Head of Marketing")).isFalse();
        assertThat(titles.matches("Director")).as("cto inside a word is no match").isFalse();
        assertThat(titles.matches("Developer Relations")).isTrue();
        assertThat(titles.matches("x".repeat(RulesLoader.TITLE_CHARS) + " engineer")).as("only the first characters are read").isFalse();
    }

    @Test
    void theDefaultFileGivesHandsOnLeadsAShortWorkingTimeSlaAndEveryOtherLeadTheDefault() {
        RoutingRules rules = RulesLoader.loadDefault();

        assertThat(rules.sla()).extracting(SlaPolicy::id).containsExactly("hands-on", "default");
        SlaPolicy handsOn = rules.sla().get(0);
        assertThat(handsOn.remindAfter()).isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(handsOn.reassignAfter()).isEqualTo(java.time.Duration.ofMinutes(15));
        assertThat(handsOn.escalateTo()).isEqualTo("C0SALESMGR");
        assertThat(handsOn.maxReassignments()).isEqualTo(2);
        assertThat(handsOn.workingHoursOnly()).isTrue();
        assertThat(rules.sla().get(1).when()).isEmpty();
        assertThat(rules.sla().get(1).reassignAfter()).isEqualTo(java.time.Duration.ofHours(2));
        assertThat(rules.rep("cameron").orElseThrow().timeZone()).isEqualTo(java.time.ZoneId.of("America/New_York"));
        assertThat(rules.rep("simon").orElseThrow().workingHours()).hasToString("09:00-17:30 Mon,Tue,Wed,Thu,Fri");
    }

    @Test
    void slaPoliciesAndWorkingHoursAreCheckedLikeEveryRuleEachProblemAtItsLine() {
        String yaml = defaults()
                .replace("workingHours: \"09:00-17:30 Mon-Fri\"   #", "workingHours: \"17:30-09:00 Mon-Fri\"   #")
                .replace("remindAfter: 5m", "remindAfter: 20m")
                .replace("reassignAfter: 2h", "reassignAfter: soon")
                .replace("escalateTo: C0SALESMGR", "escalateTo: \"#sales managers\"")
                .replace("maxReassignments: 2", "maxReassignments: -1")
                .replace("when: { pipeline: HANDS_ON }\n    remindAfter", "when: { pipeline: HANDS_ON, weekday: MONDAY }\n    remindAfter");

        InvalidRulesException e = invalid(yaml);

        assertThat(e.problems()).extracting(Problem::line, Problem::path).containsExactly(
                tuple(lineOf(yaml, "17:30-09:00"), "reps[0].workingHours"),
                tuple(lineOf(yaml, "weekday: MONDAY"), "sla[0].when"),
                tuple(lineOf(yaml, "remindAfter: 20m"), "sla[0].remindAfter"),
                tuple(lineOf(yaml, "escalateTo: \"#sales"), "sla[0].escalateTo"),
                tuple(lineOf(yaml, "maxReassignments: -1"), "sla[0].maxReassignments"),
                tuple(lineOf(yaml, "reassignAfter: soon"), "sla[1].reassignAfter"));
        assertThat(e.problems()).extracting(Problem::message).containsExactly(
                "ends (09:00) before it starts (17:30)",
                "unknown condition 'weekday', expected one of " + java.util.Arrays.stream(Criterion.Key.values())
                        .map(Criterion.Key::yamlName).sorted().toList(),
                "must be shorter than reassignAfter (15m), was 20m",
                "must be a Slack channel id such as C0123456789, was '#sales managers'",
                "must be 0 or more, was -1",
                "must be a duration such as 30s, 15m, 2h, 1d or PT15M, was 'soon'");
    }

    @Test
    void aMissingFileNamesThePath(@TempDir Path dir) {
        assertThatThrownBy(() -> RulesLoader.load(dir.resolve("nope.yml")))
                .isInstanceOf(InvalidRulesException.class)
                .hasMessageContaining("nope.yml").hasMessageContaining("file not found");
    }

    @Test
    void aFileOnDiskLoads(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("rules.yml");
        Files.writeString(file, defaults().replace("version: handbook-2026.1", "version: acme-7"));

        assertThat(RulesLoader.load(file).version()).isEqualTo("acme-7");
    }

    private static InvalidRulesException invalid(String yaml) {
        return catchThrowableOfType(InvalidRulesException.class, () -> RulesLoader.parse(yaml, "test.yml"));
    }
}
