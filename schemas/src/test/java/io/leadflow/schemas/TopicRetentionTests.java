package io.leadflow.schemas;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every topic's retention is stated when it is created and said the same way in the README's topic table. */
class TopicRetentionTests {

    @Test
    void everyTopicAndItsDeadLetterTwinIsCreatedWithAStatedRetention() {
        for (Topic<?> topic : Topics.all()) {
            Map<String, String> configs = topic.creationConfigs();
            boolean compactedOnly = "compact".equals(configs.get("cleanup.policy"));
            assertThat(compactedOnly || configs.containsKey("retention.ms"))
                    .as("%s states how long it keeps records", topic.name()).isTrue();
            assertThat(topic.deadLetterConfigs())
                    .containsEntry("retention.ms", Long.toString(Duration.ofDays(14).toMillis()))
                    .containsEntry("cleanup.policy", "delete");
        }
    }

    @Test
    void plainTopicsKeepAWeekCompactedOnesTheLatestPerKeyAndTheReplayMemoryFourDays() {
        assertThat(Topics.LEADS_RECEIVED.retention()).isEqualTo("7 days");
        assertThat(Topics.LEADS_RECEIVED.creationConfigs()).containsEntry("retention.ms", "604800000");
        assertThat(Topics.CRM_SYNCED.retention()).isEqualTo("latest per key until replaced or deleted");
        assertThat(Topics.CRM_SYNCED.creationConfigs()).doesNotContainKey("retention.ms");
        assertThat(Topics.INTAKE_DELIVERIES.retention()).isEqualTo("latest per key, each key 4 days");
    }

    @Test
    void aRetentionThatIsNotWholeDaysIsRefusedRatherThanRoundedInTheReadme() {
        assertThatThrownBy(() -> Topic.days(Duration.ofHours(36).toMillis()))
                .hasMessageContaining("not a whole number of days");
    }

    @Test
    void theReadmeTopicTableSaysEachTopicsRetention() throws IOException {
        List<String> rows = Files.readAllLines(Path.of("..", "README.md")).stream()
                .filter(line -> line.startsWith("| `")).toList();
        for (Topic<?> topic : Topics.all()) {
            assertThat(rows).as("README row of %s", topic.name())
                    .anySatisfy(row -> assertThat(row).startsWith("| `" + topic.name() + "`").endsWith("| " + topic.retention() + " |"));
        }
    }
}
