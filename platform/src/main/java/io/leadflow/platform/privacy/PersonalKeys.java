package io.leadflow.platform.privacy;

import io.leadflow.avro.PersonalKey;
import io.leadflow.platform.kafka.CatchUpFollower;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroSerializer;
import io.leadflow.schemas.serde.FieldCipher;
import io.leadflow.schemas.serde.FieldCiphers;
import io.leadflow.schemas.serde.PersonErasedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every person's data keys, the {@link FieldCipher} of the serde: random AES-256 keys, one or more per person (named by
 * their {@link Subjects subject}), kept on the compacted {@code privacy.keys} keyed {@code subject:keyId}, each wrapped
 * with AES-GCM under a key-encryption key derived from {@code LEADFLOW_PRIVACY_KEY} (HKDF-SHA256, RFC 5869), so a copy
 * of the topic is useless without that secret. Every instance follows the topic from its start into memory.
 *
 * <p>A key is sent and acknowledged before anything is encrypted under it, so no record is ever written under a key
 * that could be lost. Two instances meeting a new person at once each make a key: both are durable, and each record
 * names its own. {@link #shred} sends a tombstone for each of a person's keys; every instance drops them when it reads
 * the tombstones, and from then on every copy of the person's fields, in any topic, changelog or dead-letter topic,
 * is unreadable ({@link PersonErasedException}).
 */
public class PersonalKeys extends CatchUpFollower implements FieldCipher, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PersonalKeys.class);
    private static final String TOPIC = Topics.PRIVACY_KEYS.name();
    private static final String WRAP = "AES/GCM/NoPadding";
    private static final int IV_BYTES = 12;
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Subjects subjects;
    private final SecretKey keyEncryptionKey;
    private final KafkaProducer<String, PersonalKey> producer;
    private final Map<String, Object> lookupConsumerConfig;
    private final Duration timeout;
    private final Clock clock;
    private final Map<String, SecretKey> keys = new ConcurrentHashMap<>();
    private final Map<String, Instant> created = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> bySubject = new ConcurrentHashMap<>();
    private final Set<String> shredded = ConcurrentHashMap.newKeySet();
    private final Map<String, Object> creating = new ConcurrentHashMap<>();
    private KafkaConsumer<byte[], byte[]> lookup;

    /**
     * @param secret  {@code LEADFLOW_PRIVACY_KEY}, at least 32 bytes
     * @param timeout how long a new key waits for its acknowledgement, and a reader for the topic's end, before failing
     */
    public PersonalKeys(String secret, KafkaProperties kafka, Duration timeout, Clock clock) {
        super("privacy-keys", kafka, List.of(TOPIC), Map.of(FieldCiphers.CONFIG, ""));
        this.subjects = new Subjects(secret);
        this.keyEncryptionKey = keyEncryptionKey(secret);
        this.timeout = timeout;
        this.clock = clock;
        Map<String, Object> producerConfig = new HashMap<>(kafka.buildProducerProperties());
        producerConfig.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        producerConfig.remove(FieldCiphers.CONFIG);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "privacy-keys-writer");
        AvroSerializer<PersonalKey> values = new AvroSerializer<>();
        values.configure(producerConfig, false);
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), values);
        Map<String, Object> consumerConfig = new HashMap<>(kafka.buildConsumerProperties());
        consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "privacy-keys-ends");
        this.lookupConsumerConfig = Map.copyOf(consumerConfig);
    }

    /** The key-encryption key: HKDF-SHA256 (RFC 5869) of the secret, fixed salt and info, 32 bytes. */
    static SecretKey keyEncryptionKey(String secret) {
        try {
            Mac extract = Mac.getInstance("HmacSHA256");
            extract.init(new SecretKeySpec("leadflow privacy.keys salt".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] prk = extract.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            Mac expand = Mac.getInstance("HmacSHA256");
            expand.init(new SecretKeySpec(prk, "HmacSHA256"));
            expand.update("leadflow key-encryption key v1".getBytes(StandardCharsets.UTF_8));
            expand.update((byte) 1);
            return new SecretKeySpec(expand.doFinal(), "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    @Override
    public DataKey keyFor(String email) {
        String subject = subjects.of(email);
        if (subject == null) {
            throw new IllegalArgumentException("no email to key");
        }
        DataKey known = known(subject);
        if (known != null) {
            return known;
        }
        if (!loaded() && !awaitLoaded(timeout)) {
            throw new SerializationException("The data keys could not be read within " + timeout.toSeconds() + " s; nothing is written");
        }
        synchronized (creating.computeIfAbsent(subject, s -> new Object())) {
            known = known(subject);
            return known != null ? known : create(subject);
        }
    }

    private DataKey known(String subject) {
        Set<String> ids = bySubject.get(subject);
        if (ids == null) {
            return null;
        }
        for (String id : ids) {
            SecretKey key = keys.get(id);
            if (key != null) {
                return new DataKey(id, key);
            }
        }
        return null;
    }

    private DataKey create(String subject) {
        byte[] raw = new byte[KEY_BYTES];
        RANDOM.nextBytes(raw);
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        String keyId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        // Millisecond precision, as the record carries it: the time this instance remembers must not move when it reads its own key back.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        PersonalKey record = PersonalKey.newBuilder().setSubject(subject).setKeyId(keyId)
                .setWrapped(ByteBuffer.wrap(wrap(subject, keyId, raw))).setCreatedAt(now).build();
        try {
            producer.send(new ProducerRecord<>(TOPIC, subject + ":" + keyId, record)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SerializationException("Interrupted while a new data key was being written");
        } catch (ExecutionException | TimeoutException e) {
            throw new SerializationException("A new data key could not be written to " + TOPIC + " (" + e.getClass().getSimpleName() + "); nothing is written under it");
        }
        SecretKey key = new SecretKeySpec(raw, "AES");
        remember(subject, keyId, key, now);
        return new DataKey(keyId, key);
    }

    @Override
    public SecretKey key(String keyId) {
        SecretKey key = keys.get(keyId);
        if (key != null) {
            return key;
        }
        if (!shredded.contains(keyId) && !caughtUp()) {
            throw new SerializationException("The data keys could not be read to their end within " + timeout.toSeconds() + " s");
        }
        key = keys.get(keyId);
        if (key == null) {
            throw new PersonErasedException(keyId);
        }
        return key;
    }

    /** Waits until every key written before now has been read; whether it has, within the timeout. */
    public boolean caughtUp() {
        Map<TopicPartition, Long> ends;
        try {
            ends = ends();
        } catch (RuntimeException e) {
            log.warn("Cannot ask for the end of {}: {}", TOPIC, e.toString());
            return false;
        }
        long until = System.nanoTime() + timeout.toNanos();
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (end.getValue() > 0) {
                Duration left = Duration.ofNanos(Math.max(0, until - System.nanoTime()));
                if (!awaitApplied(TOPIC, end.getKey().partition(), end.getValue() - 1, left)) {
                    return false;
                }
            }
        }
        return true;
    }

    private synchronized Map<TopicPartition, Long> ends() {
        if (lookup == null) {
            lookup = new KafkaConsumer<>(lookupConsumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : lookup.partitionsFor(TOPIC, timeout)) {
            partitions.add(new TopicPartition(TOPIC, info.partition()));
        }
        return lookup.endOffsets(partitions, timeout);
    }

    /**
     * Deletes every data key of the person made before {@code until} (a person who came back after their erasure keeps
     * the keys of their new records): a tombstone for each key known once the topic is read to its end, each
     * acknowledged before this returns. From then on every copy of the person's fields written under them is unreadable.
     * Met again, it finds nothing left to delete.
     *
     * @return how many keys were deleted
     * @throws IllegalStateException when the keys could not be read to their end or a tombstone was not acknowledged
     */
    public int shred(String subject, Instant until) {
        if (!caughtUp()) {
            throw new IllegalStateException("The data keys could not be read to their end; nothing deleted yet");
        }
        List<String> ids = keysBefore(subject, until);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (String id : ids) {
            sent.add(producer.send(new ProducerRecord<>(TOPIC, subject + ":" + id, null)));
        }
        try {
            for (Future<RecordMetadata> ack : sent) {
                ack.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while deleting data keys");
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("A data key tombstone was not acknowledged (" + e.getClass().getSimpleName() + ")");
        }
        ids.forEach(id -> forget(subject, id));
        return ids.size();
    }

    /** The person's keys this instance holds that were made before {@code until}. */
    public List<String> keysBefore(String subject, Instant until) {
        return bySubject.getOrDefault(subject, Set.of()).stream()
                .filter(id -> created.getOrDefault(id, Instant.MIN).isBefore(until)).toList();
    }

    /** How many keys this instance holds for the person (0 once they are shredded). */
    public int keysOf(String subject) {
        return bySubject.getOrDefault(subject, Set.of()).size();
    }

    @Override
    protected void apply(ConsumerRecord<String, Object> record) {
        String key = record.key();
        int colon = key == null ? -1 : key.indexOf(':');
        if (colon <= 0) {
            return;
        }
        String subject = key.substring(0, colon);
        String keyId = key.substring(colon + 1);
        if (record.value() == null) {
            forget(subject, keyId);
        } else if (record.value() instanceof PersonalKey wrapped) {
            try {
                remember(subject, keyId, new SecretKeySpec(unwrap(subject, keyId, bytes(wrapped.getWrapped())), "AES"), wrapped.getCreatedAt());
            } catch (GeneralSecurityException e) {
                log.warn("The data key at {}-{}@{} does not open under this LEADFLOW_PRIVACY_KEY; skipped", record.topic(), record.partition(), record.offset());
            }
        }
    }

    private void remember(String subject, String keyId, SecretKey key, Instant createdAt) {
        if (shredded.contains(keyId)) {
            return;
        }
        created.put(keyId, createdAt);
        keys.put(keyId, key);
        bySubject.computeIfAbsent(subject, s -> ConcurrentHashMap.newKeySet()).add(keyId);
    }

    private void forget(String subject, String keyId) {
        shredded.add(keyId);
        keys.remove(keyId);
        created.remove(keyId);
        bySubject.computeIfPresent(subject, (s, ids) -> {
            ids.remove(keyId);
            return ids.isEmpty() ? null : ids;
        });
    }

    byte[] wrap(String subject, String keyId, byte[] raw) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance(WRAP);
            cipher.init(Cipher.ENCRYPT_MODE, keyEncryptionKey, new GCMParameterSpec(128, iv));
            cipher.updateAAD((subject + ":" + keyId).getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(raw);
            return ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java runtime", e);
        }
    }

    private byte[] unwrap(String subject, String keyId, byte[] wrapped) throws GeneralSecurityException {
        if (wrapped.length != IV_BYTES + KEY_BYTES + 16) {
            throw new AEADBadTagException("a wrapped key is " + (IV_BYTES + KEY_BYTES + 16) + " bytes");
        }
        Cipher cipher = Cipher.getInstance(WRAP);
        cipher.init(Cipher.DECRYPT_MODE, keyEncryptionKey, new GCMParameterSpec(128, wrapped, 0, IV_BYTES));
        cipher.updateAAD((subject + ":" + keyId).getBytes(StandardCharsets.UTF_8));
        return cipher.doFinal(wrapped, IV_BYTES, wrapped.length - IV_BYTES);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }

    /** Started before the listeners and Streams apps that read with it, stopped after them. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }

    @Override
    public void close() {
        stop();
        producer.close(Duration.ofSeconds(5));
        synchronized (this) {
            if (lookup != null) {
                lookup.close(Duration.ofSeconds(2));
                lookup = null;
            }
        }
    }

    @Override
    public String toString() {
        return "PersonalKeys[" + keys.size() + " keys]";
    }
}
