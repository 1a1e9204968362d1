package io.leadflow.schemas.serde;

import io.leadflow.avro.Contact;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadSource;
import io.leadflow.avro.Need;
import io.leadflow.avro.PlanInterest;
import io.leadflow.schemas.registry.MockSchemaRegistry;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readers resolve the writer's schema from the id and read into their own: an older writer with a
 * newer reader (v1 → v2) and a newer writer with an older reader (v2 → v1). The generated
 * {@link LeadReceived} plays the part of the version a service was compiled with.
 */
class SchemaEvolutionTests {

    private static final String TOPIC = "leads.received";
    private static final String SCOPE = "schema-evolution";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockSchemaRegistry registry = MockSchemaRegistry.scope(SCOPE);

    @AfterEach
    void forgetSchemas() {
        MockSchemaRegistry.drop(SCOPE);
    }

    @Test
    void readerOnTheNewSchemaReadsDataWrittenWithTheOldOneAndFillsDefaults() throws IOException {
        Schema v1 = withoutFields(LeadReceived.getClassSchema(), "utm", "groupDemo");
        GenericRecord written = convert(lead(), v1);

        byte[] bytes = new AvroSerializer<GenericRecord>(registry, Map.of()).serialize(TOPIC, written);
        LeadReceived read = new AvroDeserializer<>(registry, LeadReceived.class).deserialize(TOPIC, bytes);

        assertThat(read.getLeadId()).isEqualTo("lead-1");
        assertThat(read.getNeeds()).containsExactly(Need.SSO);
        assertThat(read.getGroupDemo()).as("default of a field v1 did not have").isFalse();
        assertThat(read.getUtm()).isEmpty();
    }

    @Test
    void readerOnTheOldSchemaReadsDataWrittenWithTheNewOneAndSkipsNewFields() throws IOException {
        Schema v3 = withExtraField(LeadReceived.getClassSchema(), "leadScore");
        GenericRecord written = convert(lead(), v3);
        written.put("leadScore", 87);

        byte[] bytes = new AvroSerializer<GenericRecord>(registry, Map.of()).serialize(TOPIC, written);
        LeadReceived read = new AvroDeserializer<>(registry, LeadReceived.class).deserialize(TOPIC, bytes);

        assertThat(read).isEqualTo(lead());
    }

    @Test
    void aGenericReaderSeesTheWritersOwnSchema() throws IOException {
        Schema v3 = withExtraField(LeadReceived.getClassSchema(), "leadScore");
        GenericRecord written = convert(lead(), v3);
        written.put("leadScore", 87);

        byte[] bytes = new AvroSerializer<GenericRecord>(registry, Map.of()).serialize(TOPIC, written);
        GenericRecord read = new AvroDeserializer<GenericRecord>(registry, null).deserialize(TOPIC, bytes);

        assertThat(read.get("leadScore")).isEqualTo(87);
    }

    private static LeadReceived lead() {
        return LeadReceived.newBuilder()
                .setLeadId("lead-1").setSource(LeadSource.WEBSITE_FORM).setSourceEventId("sub-1")
                .setReceivedAt(Instant.parse("2026-03-02T09:30:00Z"))
                .setContact(Contact.newBuilder().setEmail("jane@acme.com").setCompanyDomain("acme.com").build())
                .setPlanInterest(PlanInterest.ENTERPRISE).setMonthlyEvents(60_000_000L).setNeeds(List.of(Need.SSO))
                .build();
    }

    /** The same data re-read into another schema, as a producer compiled against that schema would hold it. */
    private static GenericRecord convert(LeadReceived lead, Schema target) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(LeadReceived.class).write(lead, encoder);
        encoder.flush();
        return new GenericDatumReader<GenericRecord>(LeadReceived.getClassSchema(), target)
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    }

    private static Schema withoutFields(Schema schema, String... names) throws IOException {
        ObjectNode json = (ObjectNode) JSON.readTree(schema.toString());
        ArrayNode fields = (ArrayNode) json.get("fields");
        for (int i = fields.size() - 1; i >= 0; i--) {
            if (List.of(names).contains(fields.get(i).get("name").asString())) {
                fields.remove(i);
            }
        }
        return new Schema.Parser().parse(json.toString());
    }

    private static Schema withExtraField(Schema schema, String name) throws IOException {
        ObjectNode json = (ObjectNode) JSON.readTree(schema.toString());
        ((ArrayNode) json.get("fields")).addObject().put("name", name).put("type", "int").put("doc", "added later").put("default", 0);
        return new Schema.Parser().parse(json.toString());
    }
}
