package io.leadflow.schemas.release;

import io.leadflow.avro.LeadReceived;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The release command on a temporary {@code released} directory: it refuses before writing anything. */
class SchemaReleaseTests {

    private static final Schema EMAIL = lead("""
            {"name":"email","type":"string","doc":"Work email."}""");
    private static final Schema COMPANY_WITH_DEFAULT = lead("""
            {"name":"email","type":"string","doc":"Work email."},
            {"name":"company","type":"string","default":"unknown","doc":"Company name."}""");
    private static final Schema COMPANY_REQUIRED = lead("""
            {"name":"email","type":"string","doc":"Work email."},
            {"name":"company","type":"string","doc":"Company name."}""");
    private static final Schema REGION_OPTIONAL = lead("""
            {"name":"email","type":"string","doc":"Work email."},
            {"name":"company","type":"string","default":"unknown","doc":"Company name."},
            {"name":"region","type":["null","string"],"default":null,"doc":"Sales region."}""");

    @TempDir
    Path released;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void refusesAFieldWithoutDefaultAndWritesNothing() throws IOException {
        release("Lead", 1, EMAIL);
        Map<Path, String> before = contents();

        int exit = run(List.of(COMPANY_REQUIRED));

        assertThat(exit).isEqualTo(SchemaRelease.REFUSED);
        assertThat(err()).contains("Release refused; nothing was written", "Lead cannot read data written with released v1",
                "READER_FIELD_MISSING_DEFAULT_VALUE", "'company'");
        assertThat(contents()).isEqualTo(before);
    }

    @Test
    void checksEveryReleasedVersionNotOnlyTheLast() throws IOException {
        release("Lead", 1, EMAIL);
        release("Lead", 2, COMPANY_WITH_DEFAULT);
        Map<Path, String> before = contents();

        // Reads v2's data (company is there) but not v1's (no company and no default to fill in).
        int exit = run(List.of(COMPANY_REQUIRED));

        assertThat(exit).isEqualTo(SchemaRelease.REFUSED);
        assertThat(err()).contains("released v1").doesNotContain("released v2");
        assertThat(contents()).isEqualTo(before);
    }

    @Test
    void oneRefusedSchemaStopsTheReleaseOfEveryOther() throws IOException {
        release("Lead", 1, EMAIL);
        Schema renamed = new Schema.Parser().parse(LeadReceived.getClassSchema().toString()
                .replace("\"name\":\"sourceEventId\"", "\"name\":\"externalId\""));
        release("LeadReceived", 1, LeadReceived.getClassSchema());
        Map<Path, String> before = contents();

        int exit = run(List.of(REGION_OPTIONAL, renamed));

        assertThat(exit).isEqualTo(SchemaRelease.REFUSED);
        assertThat(err()).contains("LeadReceived cannot read data written with released v1", "externalId").doesNotContain("Lead cannot");
        assertThat(contents()).as("the compatible Lead change is not released either").isEqualTo(before);
    }

    @Test
    void releasesACompatibleChangeAsTheNextVersion() throws IOException {
        release("Lead", 1, EMAIL);
        release("Lead", 2, COMPANY_WITH_DEFAULT);

        int exit = run(List.of(REGION_OPTIONAL));

        assertThat(exit).isEqualTo(SchemaRelease.RELEASED);
        Path v3 = released.resolve("Lead/v3.avsc");
        assertThat(new Schema.Parser().parse(Files.readString(v3))).isEqualTo(REGION_OPTIONAL);
        assertThat(Files.readString(v3)).isEqualTo(REGION_OPTIONAL.toString(true) + "\n");
        assertThat(out()).contains("Released Lead v3");
    }

    @Test
    void releasesANewRecordAsV1AndLeavesUnchangedOnesAlone() throws IOException {
        release("Lead", 1, EMAIL);
        Files.writeString(released.resolve("Lead/v1.avsc"), EMAIL.toString()); // same schema, other layout
        Map<Path, String> before = contents();

        int exit = run(List.of(EMAIL, LeadReceived.getClassSchema()));

        assertThat(exit).isEqualTo(SchemaRelease.RELEASED);
        assertThat(contents()).containsAllEntriesOf(before).hasSize(2);
        assertThat(new Schema.Parser().parse(Files.readString(released.resolve("LeadReceived/v1.avsc")))).isEqualTo(LeadReceived.getClassSchema());
        assertThat(out()).contains("Released LeadReceived v1", "Lead is unchanged since its last release");
    }

    @Test
    void aReleasedFileThatIsNotAnAvroSchemaRefusesTheRelease() throws IOException {
        Files.createDirectories(released.resolve("Lead"));
        Files.writeString(released.resolve("Lead/v1.avsc"), "{\"type\":\"record\"}");

        int exit = run(List.of(EMAIL));

        assertThat(exit).isEqualTo(SchemaRelease.REFUSED);
        assertThat(err()).contains("v1.avsc is not a valid Avro schema");
        assertThat(released.resolve("Lead/v2.avsc")).doesNotExist();
    }

    private int run(List<Schema> current) {
        return SchemaRelease.run(released, current, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private void release(String record, int version, Schema schema) throws IOException {
        Files.createDirectories(released.resolve(record));
        Files.writeString(released.resolve(record).resolve("v" + version + ".avsc"), schema.toString(true) + "\n");
    }

    private Map<Path, String> contents() throws IOException {
        Map<Path, String> contents = new TreeMap<>();
        try (Stream<Path> files = Files.walk(released)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                contents.put(released.relativize(file), Files.readString(file));
            }
        }
        return contents;
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static Schema lead(String fields) {
        return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Lead\",\"namespace\":\"io.leadflow.test\","
                + "\"doc\":\"A lead.\",\"fields\":[" + fields + "]}");
    }
}
