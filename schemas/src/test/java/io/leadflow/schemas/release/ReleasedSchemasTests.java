package io.leadflow.schemas.release;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build's evolution guard over the committed {@code schemas/released}: every topic's value schema has
 * been released, and the current one can read data written with every released version of it, so
 * {@code schemas/release} would accept it.
 */
class ReleasedSchemasTests {

    private static final Path RELEASED = Path.of("released");

    @Test
    void everyTopicSchemaIsReleasedAndCanReadEveryReleasedVersion() throws IOException {
        SchemaRelease.Plan plan = SchemaRelease.plan(RELEASED, SchemaRelease.topicSchemas());

        assertThat(plan.refusals()).isEmpty();
        for (Schema schema : SchemaRelease.topicSchemas()) {
            assertThat(RELEASED.resolve(schema.getName()).resolve("v1.avsc"))
                    .as(schema.getName() + " has never been released: run schemas/release").exists();
        }
    }
}
