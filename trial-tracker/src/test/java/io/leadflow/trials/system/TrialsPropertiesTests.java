package io.leadflow.trials.system;

import io.leadflow.trials.topology.ReminderWording;
import io.leadflow.trials.topology.TrialSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrialsPropertiesTests {

    @TempDir
    Path dir;

    @Test
    void withoutAWordingFileRemindersSayWhatTheHandbookSays() {
        assertThat(properties("").topologySettings().wording()).isSameAs(ReminderWording.handbook());
    }

    @Test
    void aWordingFileOfOnesOwnIsRead() throws IOException {
        Path file = Files.writeString(dir.resolve("wording.yml"), """
                reminders:
                  KICKOFF: { title: t, summary: s, actions: [a] }
                  CHECK_IN: { title: t, summary: s, actions: [a] }
                  REVIEW_CALL_DUE: { title: t, summary: s, actions: [a] }
                  EXPIRING: { title: t, summary: s, actions: [a] }
                  EXPIRED: { title: t, summary: s, actions: [a] }
                """);

        assertThat(properties(file.toString()).topologySettings().wording()).isNotNull().isNotSameAs(ReminderWording.handbook());
    }

    @Test
    void anInvalidWordingFileStopsStartUpNamingTheFileAndTheProblem() throws IOException {
        Path file = Files.writeString(dir.resolve("wording.yml"), "reminders:\n  KICKOFF: { title: t, summary: s, actions: [a] }\n");

        assertThatThrownBy(() -> properties(file.toString()).topologySettings())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("reminders.EXPIRED: is required");
    }

    @Test
    void aMissingWordingFileStopsStartUpNamingTheSetting() {
        Path missing = dir.resolve("nowhere.yml");

        assertThatThrownBy(() -> properties(missing.toString()).topologySettings())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("LEADFLOW_TRIALS_REMINDER_WORDING");
    }

    @Test
    void kickoffEventTypesLimitWhichBookingsAreTheKickoffAndNoneMeansAny() {
        TrialSettings any = properties("").topologySettings();
        TrialSettings listed = properties("", List.of(" https://api.calendly.com/event_types/KICKOFF ", "1287", "")).topologySettings();

        assertThat(any.kickoffEventType("https://api.calendly.com/event_types/DEMO")).isTrue();
        assertThat(any.kickoffEventType(null)).isTrue();
        assertThat(listed.kickoffEventTypes()).containsExactlyInAnyOrder("https://api.calendly.com/event_types/KICKOFF", "1287");
        assertThat(listed.kickoffEventType("https://api.calendly.com/event_types/KICKOFF")).isTrue();
        assertThat(listed.kickoffEventType("1287")).isTrue();
        assertThat(listed.kickoffEventType("https://api.calendly.com/event_types/DEMO")).isFalse();
        assertThat(listed.kickoffEventType(null)).isFalse();
    }

    private static TrialsProperties properties(String reminderWording) {
        return properties(reminderWording, List.of());
    }

    private static TrialsProperties properties(String reminderWording, List<String> kickoffEventTypes) {
        return new TrialsProperties("evaluation", "hands-on", 30,
                new TrialsProperties.Schedule(Duration.ZERO, Duration.ofDays(7), Duration.ofDays(7), Duration.ofDays(1)),
                Duration.ofMillis(200), Duration.ofMinutes(1), 10_000, "", Duration.ofSeconds(5), reminderWording, Duration.ofSeconds(2),
                new io.leadflow.platform.privacy.PrivacyKey(""), kickoffEventTypes);
    }
}
