package io.leadflow.sandbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

/** The store's journal and snapshot, read back by a new store on the same files, as after a crash. */
class SandboxStoreTests {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void appendedChangesAreThereForANewStoreWithoutAnyClose() {
        SandboxStore store = new SandboxStore(dir.resolve("portal.json"));
        for (int i = 1; i <= 3; i++) {
            store.append(change(i));
        }

        SandboxStore.Restored restored = new SandboxStore(dir.resolve("portal.json")).restore();

        assertThat(restored.snapshot()).isEmpty();
        assertThat(restored.changes()).extracting(c -> c.path("n").asInt()).containsExactly(1, 2, 3);
    }

    @Test
    void aSnapshotHoldsWhatWasJournalledBeforeItAndTheJournalTheRest() throws IOException {
        SandboxStore store = new SandboxStore(dir.resolve("portal.json"));
        store.append(change(1));
        store.append(change(2));
        store.write(state(2));
        store.append(change(3));

        SandboxStore.Restored restored = new SandboxStore(dir.resolve("portal.json")).restore();

        assertThat(restored.snapshot()).hasValueSatisfying(s -> assertThat(s.path("upTo").asInt()).isEqualTo(2));
        assertThat(restored.changes()).extracting(c -> c.path("n").asInt()).containsExactly(3);
        assertThat(Files.readAllLines(dir.resolve("portal.json.journal"))).hasSize(1);
    }

    @Test
    void aCrashBetweenTheSnapshotAndEmptyingTheJournalReplaysNothingTwice() throws IOException {
        Path journal = dir.resolve("portal.json.journal");
        SandboxStore store = new SandboxStore(dir.resolve("portal.json"));
        store.append(change(1));
        store.append(change(2));
        byte[] beforeCompaction = Files.readAllBytes(journal);
        store.write(state(2));
        // as if the process died after the snapshot's rename, before the journal was emptied
        Files.write(journal, beforeCompaction);

        SandboxStore restarted = new SandboxStore(dir.resolve("portal.json"));
        SandboxStore.Restored restored = restarted.restore();
        restarted.append(change(3));

        assertThat(restored.changes()).isEmpty();
        assertThat(new SandboxStore(dir.resolve("portal.json")).restore().changes()).extracting(c -> c.path("n").asInt()).containsExactly(3);
    }

    @Test
    void aHalfWrittenLastChangeIsDroppedAndAppendsContinueAfterTheLastWholeOne() throws IOException {
        Path journal = dir.resolve("portal.json.journal");
        SandboxStore store = new SandboxStore(dir.resolve("portal.json"));
        store.append(change(1));
        Files.write(journal, "{\"seq\":2,\"change\":{\"n\":".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        SandboxStore restarted = new SandboxStore(dir.resolve("portal.json"));
        SandboxStore.Restored restored = restarted.restore();
        restarted.append(change(2));

        assertThat(restored.changes()).extracting(c -> c.path("n").asInt()).containsExactly(1);
        assertThat(new SandboxStore(dir.resolve("portal.json")).restore().changes()).extracting(c -> c.path("n").asInt()).containsExactly(1, 2);
    }

    @Test
    void aStoreWrittenOnlyAsSnapshotsReadsBackTheLastOne() {
        SandboxStore store = new SandboxStore(dir.resolve("portal.json"));
        store.write(state(1));
        store.write(state(7));

        assertThat(new SandboxStore(dir.resolve("portal.json")).read()).hasValueSatisfying(s -> assertThat(s.path("upTo").asInt()).isEqualTo(7));
        assertThat(dir.resolve("portal.json.journal")).doesNotExist();
    }

    private static JsonNode change(int n) {
        return JSON.createObjectNode().put("n", n);
    }

    private static ObjectNode state(int upTo) {
        return JSON.createObjectNode().put("upTo", upTo);
    }
}
