package io.leadflow.trials.topology;

import io.leadflow.avro.Deployment;
import io.leadflow.avro.ReminderKind;
import io.leadflow.avro.TrialOutcome;
import io.leadflow.platform.streams.StateJson;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StateJsonTests {

    private static final TrialState TRIAL = new TrialState("trial-1", "9001", null, 1_000L, 2_000L, 30,
            Deployment.SELF_HOSTED, "API", TrialStatus.CLOSED, TrialOutcome.LOST, "went elsewhere",
            List.of(new TrialState.Pending(ReminderKind.EXPIRED, 2_000L)),
            List.of(new TrialState.Fired("trial-1:KICKOFF:1970-01-01T00:00:01Z", ReminderKind.KICKOFF, 1_000L, 1_005L, false)),
            List.of(new TrialState.HistoryEntry("e-1", "started", 900L, 1_000L, "30 days", "applied")),
            new TrialState.Kickoff("lead-2", "calendly", 5_000L, 1_200L, "trial-1:KICKOFF:1970-01-01T00:00:01Z"));

    @Test
    void writesAndReadsTrialStateRecordsWithoutTypeHeaders() {
        Serde<TrialState> serde = StateJson.serde(TrialState.class);
        RecordHeaders headers = new RecordHeaders();

        byte[] bytes = serde.serializer().serialize("leadflow-trials-trials-changelog", headers, TRIAL);

        assertThat(headers.toArray()).isEmpty();
        assertThat(serde.deserializer().deserialize("leadflow-trials-trials-changelog", headers, bytes)).isEqualTo(TRIAL);
    }

    @Test
    void readsATrialStoredBeforeTrialsKeptTheirKickoffAsNotBooked() {
        Serde<TrialState> serde = StateJson.serde(TrialState.class);
        String older = "{\"trialId\":\"trial-1\",\"dealId\":\"9001\",\"startsAt\":1000,\"endsAt\":2000,\"lengthDays\":30,"
                + "\"status\":\"ACTIVE\",\"pending\":[{\"kind\":\"KICKOFF\",\"dueAt\":1000}],\"fired\":[],\"history\":[]}";

        TrialState trial = serde.deserializer().deserialize("t", older.getBytes(StandardCharsets.UTF_8));

        assertThat(trial.kickoff()).isNull();
        assertThat(trial.pending()).containsExactly(new TrialState.Pending(ReminderKind.KICKOFF, 1000));
    }

    @Test
    void readsStateWrittenByANewerVersionWithFieldsItDoesNotKnow() {
        Serde<TrialContext> serde = StateJson.serde(TrialContext.class);
        String newer = "{\"leadId\":\"lead-1\",\"dealId\":\"9001\",\"routedPipeline\":\"HANDS_ON\",\"company\":\"Acme\","
                + "\"owner\":{\"repId\":\"simon\",\"timeZone\":\"Europe/London\"},\"segment\":\"enterprise\"}";

        TrialContext context = serde.deserializer().deserialize("t", newer.getBytes(StandardCharsets.UTF_8));

        assertThat(context).isEqualTo(new TrialContext("lead-1", "9001", null, null, "HANDS_ON", "Acme",
                new TrialContext.OwnerInfo("simon", null, null, null, null, null)));
    }
}
