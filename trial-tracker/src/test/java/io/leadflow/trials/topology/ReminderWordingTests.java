package io.leadflow.trials.topology;

import io.leadflow.avro.Deployment;
import io.leadflow.avro.ReminderKind;
import io.leadflow.avro.ReminderTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReminderWordingTests {

    /** The least a wording file must say: every kind with a title, a summary and one action. */
    static final String MINIMAL = """
            reminders:
              KICKOFF:
                title: t
                summary: s
                actions: [a]
              CHECK_IN: { title: t, summary: s, actions: [a] }
              REVIEW_CALL_DUE: { title: t, summary: s, actions: [a] }
              EXPIRING: { title: t, summary: s, actions: [a] }
              EXPIRED: { title: t, summary: s, actions: [a] }
            """;

    private static final String BOOKING = "https://calendly.com/leadflow-simon/30min";
    private static final Map<String, String> ACME = ReminderContent.placeholders("Acme", "9001", 7,
            java.time.Instant.parse("2026-04-01T09:00:00Z"), BOOKING);
    private static final Map<String, String> ACME_NO_BOOKING_PAGE = ReminderContent.placeholders("Acme", "9001", 7,
            java.time.Instant.parse("2026-04-01T09:00:00Z"), null);

    @ParameterizedTest
    @EnumSource(value = ReminderKind.class, mode = EnumSource.Mode.EXCLUDE, names = "UNKNOWN")
    void theHandbookHasATitleASummaryAndActionsForEveryReminderKindWithEveryPlaceholderFilled(ReminderKind kind) {
        ReminderWording handbook = ReminderWording.handbook();

        assertThat(handbook.title(kind, ACME)).contains("Acme").doesNotContain("{");
        assertThat(handbook.summary(kind, ACME)).isNotBlank().doesNotContain("{");
        assertThat(handbook.actions(kind, Deployment.CLOUD, ACME)).isNotEmpty().allSatisfy(action ->
                assertThat(action).isNotBlank().doesNotContain("{"));
        ReminderTask task = handbook.task(kind, ACME);
        if (task != null) {
            assertThat(task.getSubject()).contains("Acme").doesNotContain("{");
            assertThat(task.getBody()).doesNotContain("{");
        }
    }

    @Test
    void theHandbookAsksForATaskForTheKickoffTheCheckInsAndTheReviewCallAndSelfHostedKickOffsGetTheDeploymentStep() {
        ReminderWording handbook = ReminderWording.handbook();

        assertThat(ReminderKind.values()).filteredOn(kind -> handbook.task(kind, ACME) != null)
                .containsExactlyInAnyOrder(ReminderKind.KICKOFF, ReminderKind.CHECK_IN, ReminderKind.REVIEW_CALL_DUE);
        assertThat(handbook.actions(ReminderKind.KICKOFF, Deployment.SELF_HOSTED, ACME))
                .hasSize(handbook.actions(ReminderKind.KICKOFF, Deployment.CLOUD, ACME).size() + 1)
                .last().asString().contains("self-hosted instance");
    }

    @Test
    void theKickOffCarriesTheOwnersBookingLinkWithTheAgendaAndLeavesTheLineOutWhenTheOwnerHasNone() {
        ReminderWording handbook = ReminderWording.handbook();

        List<String> withPage = handbook.actions(ReminderKind.KICKOFF, Deployment.CLOUD, ACME);
        List<String> withoutPage = handbook.actions(ReminderKind.KICKOFF, Deployment.CLOUD, ACME_NO_BOOKING_PAGE);

        assertThat(withPage).filteredOn(action -> action.contains(BOOKING)).singleElement().asString()
                .endsWith(": " + BOOKING).contains("Acme", "event ingestion", "actions and cohorts", "insights and dashboards", "extra features");
        assertThat(withoutPage).hasSize(withPage.size() - 1).noneMatch(action -> action.contains("{") || action.contains("booking link"));
    }

    @Test
    void onlyActionsMayNameTheBookingPageWhichCanBeMissing() {
        assertThatThrownBy(() -> load(MINIMAL.replace("KICKOFF:\n    title: t", "KICKOFF:\n    title: \"Book {bookingUrl}\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reminders.KICKOFF.title: {bookingUrl} may be missing, so only actions may name it");
    }

    @Test
    void anUnknownKindGetsANeutralTitleAndNothingElse() {
        ReminderWording handbook = ReminderWording.handbook();

        assertThat(handbook.title(ReminderKind.UNKNOWN, ACME)).isEqualTo("Evaluation reminder: Acme");
        assertThat(handbook.summary(ReminderKind.UNKNOWN, ACME)).isNull();
        assertThat(handbook.actions(ReminderKind.UNKNOWN, Deployment.SELF_HOSTED, ACME)).isEmpty();
        assertThat(handbook.task(ReminderKind.UNKNOWN, ACME)).isNull();
    }

    @Test
    void aFileSaysWhatRemindersSayAndAValueIsNeverReadAsAPlaceholder() {
        ReminderWording wording = load(MINIMAL.replace("KICKOFF:\n    title: t", "KICKOFF:\n    title: \"Hello {company}, {days}\""));

        assertThat(wording.title(ReminderKind.KICKOFF, ReminderContent.placeholders("{days} Inc", null, 1,
                java.time.Instant.EPOCH, null))).isEqualTo("Hello {days} Inc, 1 day");
        assertThat(wording.actions(ReminderKind.CHECK_IN, Deployment.SELF_HOSTED, ACME)).containsExactly("a");
        assertThat(wording.task(ReminderKind.REVIEW_CALL_DUE, ACME)).isNull();
    }

    @Test
    void aFileWithProblemsIsRefusedNamingEveryOne() {
        String yaml = """
                reminders:
                  KICKOFF: { title: "Hi {firstName}", summary: s, actions: [a] }
                  CHECK_IN: { title: t, summary: " ", actions: [] }
                  REVIEW_CALL_DUE:
                    title: t
                    summary: s
                    actions: [a]
                    task: { subject: x, body: y, type: MEETING, priority: URGENT }
                  EXPIRING: { title: t, summary: s, actions: [a] }
                  LATER: { title: t, summary: s, actions: [a] }
                """;

        assertThatThrownBy(() -> load(yaml)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("test is not a valid reminder wording file (7 problems)")
                .hasMessageContaining("reminders.KICKOFF.title: unknown placeholder {firstName}")
                .hasMessageContaining("reminders.CHECK_IN.summary: is required")
                .hasMessageContaining("reminders.CHECK_IN.actions: is required")
                .hasMessageContaining("reminders.REVIEW_CALL_DUE.task.type: must be one of [CALL, EMAIL, TODO], was MEETING")
                .hasMessageContaining("reminders.REVIEW_CALL_DUE.task.priority: must be one of [HIGH, LOW, MEDIUM], was URGENT")
                .hasMessageContaining("reminders.LATER: unknown reminder kind")
                .hasMessageContaining("reminders.EXPIRED: is required");
    }

    @Test
    void aMisspelledKeyIsRefusedNamingTheKeysThereAre() {
        assertThatThrownBy(() -> load(MINIMAL.replace("    summary: s\n", "    sumary: s\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("test is not a valid reminder wording file: unknown key 'sumary', expected one of [")
                .hasMessageContaining("summary")
                .hasMessageContaining("near line");
    }

    private static ReminderWording load(String yaml) {
        return ReminderWording.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test");
    }
}
