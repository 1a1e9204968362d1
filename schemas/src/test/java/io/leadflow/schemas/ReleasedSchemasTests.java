package io.leadflow.schemas;

import io.leadflow.schemas.registry.CompatibilityLevel;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build's evolution guard. Every released version of each topic's value schema is kept under
 * {@code schemas/released/<Record>/v<N>.avsc}; the build fails when the current schema could not read
 * data written with the last released one (BACKWARD, as the registry enforces).
 *
 * <p>To release the current schemas (after a compatible change), run
 * {@code ./mvnw -pl schemas test -Dtest=ReleasedSchemasTests -Dleadflow.schemas.release=true} and commit
 * the new files.
 */
class ReleasedSchemasTests {

    private static final Path RELEASED = Path.of("released");

    @Test
    void everyTopicSchemaIsBackwardCompatibleWithItsLastReleasedVersion() throws IOException {
        if (Boolean.getBoolean("leadflow.schemas.release")) {
            releaseChangedSchemas();
        }
        List<String> problems = new ArrayList<>();
        for (Topic<?> topic : Topics.all()) {
            Schema current = SchemaHygieneTests.schemaOf(topic);
            Optional<Path> released = lastReleased(current.getName());
            if (released.isEmpty()) {
                problems.add(current.getName() + " has never been released: run the release command in this test's javadoc");
                continue;
            }
            CompatibilityLevel.BACKWARD.problems(current, List.of(parse(released.get())))
                    .forEach(p -> problems.add(current.getName() + " vs " + released.get().getFileName() + ": " + p));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void aNewFieldWithoutDefaultIsRejected() throws IOException {
        Schema released = parse(lastReleased("LeadReceived").orElseThrow());
        String withNewRequiredField = released.toString().replaceFirst("\"fields\":\\[",
                "\"fields\":[{\"name\":\"leadScore\",\"type\":\"int\",\"doc\":\"added without a default\"},");
        Schema changed = new Schema.Parser().parse(withNewRequiredField);

        assertThat(CompatibilityLevel.BACKWARD.problems(changed, List.of(released)))
                .anySatisfy(p -> assertThat(p).contains("READER_FIELD_MISSING_DEFAULT").contains("leadScore"));
    }

    @Test
    void aRenamedFieldIsRejected() throws IOException {
        Schema released = parse(lastReleased("LeadReceived").orElseThrow());
        Schema changed = new Schema.Parser().parse(released.toString().replace("\"name\":\"sourceEventId\"", "\"name\":\"externalId\""));

        assertThat(CompatibilityLevel.BACKWARD.problems(changed, List.of(released))).isNotEmpty();
    }

    private static Optional<Path> lastReleased(String record) throws IOException {
        Path dir = RELEASED.resolve(record);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("v\\d+\\.avsc"))
                    .max(Comparator.comparingInt(ReleasedSchemasTests::version));
        }
    }

    private static int version(Path file) {
        String name = file.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.length() - ".avsc".length()));
    }

    private static Schema parse(Path file) throws IOException {
        return new Schema.Parser().parse(Files.readString(file));
    }

    private static void releaseChangedSchemas() throws IOException {
        for (Topic<?> topic : Topics.all()) {
            Schema current = SchemaHygieneTests.schemaOf(topic);
            Optional<Path> last = lastReleased(current.getName());
            if (last.isPresent() && parse(last.get()).equals(current)) {
                continue;
            }
            int next = last.map(ReleasedSchemasTests::version).orElse(0) + 1;
            Path dir = Files.createDirectories(RELEASED.resolve(current.getName()));
            Files.writeString(dir.resolve("v" + next + ".avsc"), current.toString(true) + "\n");
        }
    }
}
