package io.leadflow.schemas.serde;

import io.leadflow.schemas.registry.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serializes Avro records into Confluent's wire format, registering or looking up the schema under
 * {@code <topic>-value} (or {@code -key}). A drop-in for {@code io.confluent.kafka.serializers.KafkaAvroSerializer}.
 */
public class AvroSerializer<T extends IndexedRecord> implements Serializer<T> {

    static {
        AvroTrust.admitGeneratedClasses();
    }

    private SchemaRegistryClient registry;
    private AvroSerdeConfig config;
    private boolean isKey;
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
    private FieldCiphers.Ref cipher = FieldCiphers.Ref.NONE;

    /** For Kafka to instantiate from {@code value.serializer}; {@link #configure} must follow. */
    public AvroSerializer() {
    }

    /** With an explicit registry client (tests, or a client shared by several serdes). */
    public AvroSerializer(SchemaRegistryClient registry, Map<String, ?> configs) {
        this.registry = registry;
        this.config = AvroSerdeConfig.from(withDefaultUrl(configs));
        this.cipher = FieldCiphers.Ref.from(configs);
    }

    /** Encrypts personal fields with this cipher from now on (null: no encryption); see {@link PersonalFields}. */
    public AvroSerializer<T> withCipher(FieldCipher fieldCipher) {
        this.cipher = FieldCiphers.Ref.of(fieldCipher);
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        this.config = AvroSerdeConfig.from(configs);
        if (configs.containsKey(FieldCiphers.CONFIG)) {
            this.cipher = FieldCiphers.Ref.from(configs);
        }
        if (registry == null) {
            this.registry = config.client();
        }
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (registry == null) {
            throw new SerializationException("AvroSerializer for topic " + topic + " is not configured");
        }
        String subject = topic + (isKey ? "-key" : "-value");
        Schema schema = record.getSchema();
        try {
            int id;
            Object toWrite = encrypted(record);
            if (config.useLatestVersion()) {
                var latest = registry.getLatest(subject);
                id = latest.id();
                if (!latest.schema().equals(schema)) {
                    toWrite = project((IndexedRecord) toWrite, latest.schema());
                    schema = latest.schema();
                }
            } else if (config.autoRegisterSchemas()) {
                id = registry.register(subject, schema);
            } else {
                id = registry.getId(subject, schema);
            }
            DatumWriter<Object> writer = writerFor(schema, toWrite);
            Output out = Output.take();
            boolean written = false;
            try {
                out.write(WireFormat.MAGIC_BYTE);
                out.write(id >>> 24);
                out.write(id >>> 16);
                out.write(id >>> 8);
                out.write(id);
                out.encoder = EncoderFactory.get().binaryEncoder(out, out.encoder);
                writer.write(toWrite, out.encoder);
                out.encoder.flush();
                byte[] bytes = out.toByteArray();
                written = true;
                return bytes;
            } finally {
                out.release(written);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException se) {
                throw se;
            }
            throw new SerializationException("Cannot serialize " + schema.getFullName() + " for topic " + topic + ": " + e.getMessage(), e);
        }
    }

    /**
     * The record to write: itself, or a copy whose personal fields are encrypted under a key of the person the schema's
     * subject path names, when a cipher is configured and the record names a person.
     */
    private IndexedRecord encrypted(T record) {
        String path = cipher == FieldCiphers.Ref.NONE ? null : PersonalFields.subjectPath(record.getSchema());
        String email = path == null ? null : PersonalFields.email(record, path);
        FieldCipher fieldCipher = email == null ? null : cipher.get();
        if (fieldCipher == null) {
            return record;
        }
        FieldCipher.DataKey key = fieldCipher.keyFor(email);
        Schema schema = record.getSchema();
        IndexedRecord copy = record instanceof SpecificRecord
                ? (IndexedRecord) SpecificData.getForSchema(schema).deepCopy(schema, record)
                : (IndexedRecord) GenericData.get().deepCopy(schema, record);
        PersonalFields.transform(copy, value -> PersonalFields.encrypt(key, value));
        return copy;
    }

    /**
     * A thread's output buffer and buffered encoder, kept between records: a record is encoded into a buffer already
     * as large as the thread's earlier records (not one grown from a few hundred bytes, copied at every doubling) and
     * reaches it in the encoder's chunks rather than byte by byte. A serialize that runs inside another on the same
     * thread (a cipher producing a new data key) gets a buffer of its own. A buffer grown past 64 KiB is not kept (a
     * decision is a few KiB; a web server's hundreds of threads must not each keep the largest record they ever wrote).
     */
    private static final class Output extends ByteArrayOutputStream {
        private static final int INITIAL = 4096;
        private static final int MAX_KEPT = 64 * 1024;
        private static final ThreadLocal<Output> THREAD = ThreadLocal.withInitial(Output::new);

        private BinaryEncoder encoder;
        private boolean inUse;

        private Output() {
            super(INITIAL);
        }

        static Output take() {
            Output out = THREAD.get();
            if (out.inUse) {
                out = new Output();
            }
            out.inUse = true;
            return out;
        }

        /**
         * @param written whether the record was written whole; if not, its encoder is dropped, since the next use would
         *                first flush what it still buffers of the failed record into the next record's bytes
         */
        void release(boolean written) {
            inUse = false;
            if (!written) {
                encoder = null;
            }
            reset();
            if (buf.length > MAX_KEPT) {
                buf = new byte[INITIAL];
            }
        }
    }

    private DatumWriter<Object> writerFor(Schema schema, Object datum) {
        return writers.computeIfAbsent(schema, s -> datum instanceof SpecificRecord
                ? new SpecificDatumWriter<>(s, SpecificData.getForSchema(s))
                : new GenericDatumWriter<>(s));
    }

    /** Copies a record field by field into another (compatible) schema, filling absent fields with their defaults. */
    private static GenericRecord project(IndexedRecord record, Schema target) {
        GenericData.Record copy = new GenericData.Record(target);
        for (Schema.Field field : target.getFields()) {
            Schema.Field source = record.getSchema().getField(field.name());
            copy.put(field.pos(), source != null ? record.get(source.pos()) : GenericData.get().getDefaultValue(field));
        }
        return copy;
    }

    private static Map<String, ?> withDefaultUrl(Map<String, ?> configs) {
        if (configs.containsKey(AvroSerdeConfig.SCHEMA_REGISTRY_URL)) {
            return configs;
        }
        Map<String, Object> copy = new java.util.HashMap<>(configs);
        copy.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "injected://");
        return copy;
    }
}
