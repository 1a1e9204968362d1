package io.leadflow.routing.simulate;

import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.LeadSource;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.Plan;
import io.leadflow.schemas.registry.SchemaRegistryClient;
import io.leadflow.schemas.serde.AvroTrust;
import io.leadflow.schemas.serde.WireFormat;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decodes the two topics' values (Confluent wire format) for a simulation, straight from the record bytes: leads into a
 * {@link LeadReceived} the caller may reuse, decisions through a reader schema that keeps only what a comparison
 * reads (lead id, the lead's receipt, source and email, pipeline, plan, owner id, each reason's rule), so Avro skips the
 * sentences, flags and next steps instead of building strings of them. The whole decision is decoded only for a
 * changed lead that is listed. Writer schemas come from the registry by id (cached there). Leads and summaries are
 * decoded on one thread (the reader's), details on another (the simulation's).
 */
final class RecordReaders {

    static {
        AvroTrust.admitGeneratedClasses();
    }

    /** What of a {@code LeadRouted} a comparison reads. */
    static final Schema ROUTED_SUMMARY = summary();

    private final SchemaRegistryClient registry;
    private final Map<Integer, DatumReader<LeadReceived>> leads = new HashMap<>();
    private final Map<Integer, DatumReader<GenericRecord>> summaries = new HashMap<>();
    private final Map<Integer, DatumReader<LeadRouted>> decisions = new ConcurrentHashMap<>();
    private BinaryDecoder decoder;
    private GenericRecord summary;

    RecordReaders(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    /** The lead in {@code value}, decoded into {@code reuse} when not null. */
    LeadReceived lead(byte[] value, LeadReceived reuse) throws IOException {
        int id = schemaId(value);
        DatumReader<LeadReceived> reader = leads.computeIfAbsent(id, writer -> specific(writer, LeadReceived.getClassSchema()));
        return reader.read(reuse, decoder(value));
    }

    /** The decision in {@code value}, as far as a comparison reads it; its details are decoded from the same bytes when asked. */
    PastDecision decision(byte[] value) throws IOException {
        int id = schemaId(value);
        DatumReader<GenericRecord> reader = summaries.computeIfAbsent(id, writer -> new GenericDatumReader<>(registry.getById(writer), ROUTED_SUMMARY));
        summary = reader.read(summary, decoder(value));
        GenericRecord lead = (GenericRecord) summary.get("lead");
        GenericRecord owner = (GenericRecord) summary.get("owner");
        @SuppressWarnings("unchecked")
        List<GenericRecord> reasons = (List<GenericRecord>) summary.get("reasons");
        List<String> rules = new ArrayList<>(reasons.size());
        for (GenericRecord reason : reasons) {
            rules.add(reason.get("rule").toString());
        }
        GenericRecord contact = (GenericRecord) lead.get("contact");
        return new PastDecision(summary.get("leadId").toString(), (Long) lead.get("receivedAt"),
                LeadSource.valueOf(lead.get("source").toString()), Pipeline.valueOf(summary.get("pipeline").toString()),
                Plan.valueOf(summary.get("recommendedPlan").toString()), owner.get("repId").toString(), rules,
                () -> details(value), contact.get("email").toString());
    }

    /** An erasure request of {@code privacy.erasures}. */
    ErasureRequested erasure(byte[] value) throws IOException {
        int id = schemaId(value);
        return this.<ErasureRequested>specific(id, ErasureRequested.getClassSchema()).read(null,
                DecoderFactory.get().binaryDecoder(value, WireFormat.HEADER_SIZE, value.length - WireFormat.HEADER_SIZE, null));
    }

    /** The whole decision: asked for from the simulating thread, so with a decoder of its own. */
    private LeadRouted details(byte[] value) {
        try {
            int id = schemaId(value);
            return decisions.computeIfAbsent(id, writer -> specific(writer, LeadRouted.getClassSchema()))
                    .read(null, DecoderFactory.get().binaryDecoder(value, WireFormat.HEADER_SIZE, value.length - WireFormat.HEADER_SIZE, null));
        } catch (IOException e) {
            throw new IllegalStateException("A decision decoded once could not be decoded again", e);
        }
    }

    private <T> DatumReader<T> specific(int writerId, Schema reader) {
        return new SpecificDatumReader<>(registry.getById(writerId), reader, SpecificData.getForSchema(reader));
    }

    private BinaryDecoder decoder(byte[] value) {
        decoder = DecoderFactory.get().binaryDecoder(value, WireFormat.HEADER_SIZE, value.length - WireFormat.HEADER_SIZE, decoder);
        return decoder;
    }

    private static int schemaId(byte[] value) throws IOException {
        if (value.length < WireFormat.HEADER_SIZE || value[0] != WireFormat.MAGIC_BYTE) {
            throw new IOException("not in the Confluent wire format");
        }
        return ((value[1] & 0xff) << 24) | ((value[2] & 0xff) << 16) | ((value[3] & 0xff) << 8) | (value[4] & 0xff);
    }

    private static Schema summary() {
        Schema routed = LeadRouted.getClassSchema();
        Schema leadRecord = routed.getField("lead").schema();
        List<Schema.Field> leadFields = new ArrayList<>();
        project(leadRecord, "receivedAt", "source").getFields().forEach(f -> leadFields.add(field(f, f.schema())));
        leadFields.add(field(leadRecord.getField("contact"), project(leadRecord.getField("contact").schema(), "email")));
        Schema lead = record(leadRecord, leadFields);
        Schema owner = project(routed.getField("owner").schema(), "repId");
        Schema reason = project(routed.getField("reasons").schema().getElementType(), "rule");
        return record(routed, List.of(
                field(routed.getField("leadId"), routed.getField("leadId").schema()),
                field(routed.getField("lead"), lead),
                field(routed.getField("pipeline"), routed.getField("pipeline").schema()),
                field(routed.getField("recommendedPlan"), routed.getField("recommendedPlan").schema()),
                field(routed.getField("owner"), owner),
                field(routed.getField("reasons"), Schema.createArray(reason))));
    }

    /** The record with only the named fields, under its own name so Avro resolves it against the writer's. */
    private static Schema project(Schema record, String... names) {
        List<Schema.Field> fields = new ArrayList<>();
        for (String name : names) {
            Schema.Field field = record.getField(name);
            Schema schema = field.schema();
            if (schema.getLogicalType() != null) { // read a timestamp as its long, with no conversion
                schema = Schema.create(schema.getType());
            }
            fields.add(field(field, schema));
        }
        return record(record, fields);
    }

    private static Schema record(Schema like, List<Schema.Field> fields) {
        return Schema.createRecord(like.getName(), like.getDoc(), like.getNamespace(), false, fields);
    }

    private static Schema.Field field(Schema.Field like, Schema schema) {
        return new Schema.Field(like.name(), schema, like.doc());
    }
}
