package io.leadflow.sandbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/** A sandbox's state as one JSON file under the data directory, replaced atomically on each save. */
public final class SandboxStore {

    private static final Logger log = LoggerFactory.getLogger(SandboxStore.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path file;

    public SandboxStore(Path file) {
        this.file = file;
    }

    public Optional<JsonNode> read() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(Files.readString(file)));
        } catch (IOException | RuntimeException e) {
            log.warn("Ignoring unreadable sandbox state {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    public void write(JsonNode state) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, JSON.writeValueAsString(state));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save sandbox state to " + file, e);
        }
    }
}
