package io.leadflow.schemas.serde;

import io.leadflow.schemas.registry.SchemaRegistryClient;
import io.leadflow.schemas.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads Confluent's wire format: resolves the writer schema from the id (cached) and reads into the
 * reader's own schema, the generated class when {@code specific.avro.reader=true} (or a type fixed at
 * construction), else a {@code GenericRecord}. Anything that is not this format raises a
 * {@link SerializationException} naming the topic, so {@code ErrorHandlingDeserializer} can dead-letter it.
 */
public class AvroDeserializer<T> implements Deserializer<T> {

    static {
        AvroTrust.admitGeneratedClasses();
    }

    private record ReaderKey(int writerId, Schema readerSchema) {
    }

    private SchemaRegistryClient registry;
    private boolean specific;
    private Class<?> targetType;
    private final Map<ReaderKey, DatumReader<Object>> readers = new ConcurrentHashMap<>();
    private FieldCiphers.Ref cipher = FieldCiphers.Ref.NONE;

    public AvroDeserializer() {
    }

    /** With an explicit registry client; reads into {@code targetType} (a generated class) or generic records when null. */
    public AvroDeserializer(SchemaRegistryClient registry, Class<T> targetType) {
        this.registry = registry;
        this.targetType = targetType;
        this.specific = targetType != null;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = AvroSerdeConfig.from(configs);
        this.specific = targetType != null || config.specificAvroReader();
        if (configs.containsKey(FieldCiphers.CONFIG)) {
            this.cipher = FieldCiphers.Ref.from(configs);
        }
        if (registry == null) {
            this.registry = config.client();
        }
    }

    /** Decrypts personal fields with this cipher from now on (null: encrypted values pass as they are). */
    public AvroDeserializer<T> withCipher(FieldCipher fieldCipher) {
        this.cipher = FieldCiphers.Ref.of(fieldCipher);
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new SerializationException("AvroDeserializer for topic " + topic + " is not configured");
        }
        if (data.length < WireFormat.HEADER_SIZE) {
            throw new SerializationException("Record on topic " + topic + " has " + data.length
                    + " bytes, fewer than the 5-byte Confluent wire-format header");
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        byte magic = buffer.get();
        if (magic != WireFormat.MAGIC_BYTE) {
            throw new SerializationException("Record on topic " + topic + " starts with byte " + magic
                    + ", not the Confluent wire-format magic byte 0");
        }
        int id = buffer.getInt();
        Schema writer;
        try {
            writer = registry.getById(id);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("Record on topic " + topic + " names schema id " + id + " which the registry cannot give: " + e.getMessage(), e);
        }
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null);
            Object value = readerFor(id, writer).read(null, decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException("Record on topic " + topic + " has trailing bytes after its Avro value (schema id " + id + ")");
            }
            return (T) decrypted(value);
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException se) {
                throw se;
            }
            throw new SerializationException("Cannot decode record on topic " + topic + " with schema id " + id + ": " + e, e);
        }
    }

    /**
     * Decrypts the encrypted values ({@value PersonalFields#PREFIX}…) of the record's personal fields in place, when a
     * cipher is configured; values without the prefix (written by a client without a cipher) pass unchanged.
     */
    private Object decrypted(Object value) {
        if (cipher != FieldCiphers.Ref.NONE && value instanceof IndexedRecord record) {
            PersonalFields.transform(record, field -> {
                FieldCipher fieldCipher = PersonalFields.encrypted(field) ? cipher.get() : null;
                return fieldCipher == null ? field : PersonalFields.decrypt(field, fieldCipher);
            });
        }
        return value;
    }

    private DatumReader<Object> readerFor(int writerId, Schema writer) {
        Schema reader = readerSchema(writer);
        return readers.computeIfAbsent(new ReaderKey(writerId, reader), key -> specific
                ? new SpecificDatumReader<>(writer, reader, SpecificData.getForSchema(reader))
                : new GenericDatumReader<>(writer, reader));
    }

    private Schema readerSchema(Schema writer) {
        if (!specific) {
            return writer;
        }
        if (targetType != null) {
            return SpecificData.get().getSchema(targetType);
        }
        Class<?> generated = SpecificData.get().getClass(writer);
        if (generated == null) {
            throw new SerializationException("No generated class for " + writer.getFullName() + " on the class path (specific.avro.reader=true)");
        }
        return SpecificData.get().getSchema(generated);
    }
}
