package io.leadflow.platform.privacy;

import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.PersonalKey;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroDeserializer;
import io.leadflow.schemas.serde.AvroSerializer;
import io.leadflow.schemas.serde.FieldCipher;
import io.leadflow.schemas.serde.PersonErasedException;
import io.leadflow.schemas.registry.MockSchemaRegistry;
import io.leadflow.testing.KafkaBrokers;
import io.leadflow.testing.WithKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Data keys on privacy.keys, on a real broker: made once, durable before use, shared by instances, shredded by tombstones. */
@WithKafkaBroker
class PersonalKeysTests {

    private static final String SECRET = "personal-keys-tests-secret-0123456789abcdef";
    /** Kept for the JVM: privacy.keys on the shared broker outlives each test, and so must the ids of its schemas. */
    private static final String SCOPE = "personal-keys-tests";
    private final List<PersonalKeys> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(PersonalKeys::close);
    }

    @Test
    void aPersonGetsOneKeyPerInstanceWrittenAndAcknowledgedBeforeItIsUsed() {
        PersonalKeys keys = start(SECRET);
        String email = unique();

        FieldCipher.DataKey first = keys.keyFor(email);
        FieldCipher.DataKey again = keys.keyFor("  " + email.toUpperCase() + " ");

        assertThat(again.keyId()).isEqualTo(first.keyId());
        String subject = new Subjects(SECRET).of(email);
        List<ConsumerRecord<String, byte[]>> records = rawKeys(subject);
        assertThat(records).as("on the topic once keyFor returned, so durable before use")
                .extracting(ConsumerRecord::key).containsExactly(subject + ":" + first.keyId());
    }

    @Test
    void theTopicHoldsTheKeyWrappedNeverItsRawBytesAndAnotherSecretCannotOpenIt() {
        PersonalKeys keys = start(SECRET);
        String email = unique();
        FieldCipher.DataKey key = keys.keyFor(email);

        byte[] value = rawKeys(new Subjects(SECRET).of(email)).get(0).value();
        String hex = HexFormat.of().formatHex(value);
        assertThat(hex).doesNotContain(HexFormat.of().formatHex(key.key().getEncoded()));
        PersonalKey wrapped = new AvroDeserializer<>(MockSchemaRegistry.scope(SCOPE), PersonalKey.class).deserialize(Topics.PRIVACY_KEYS.name(), value);
        assertThat(wrapped.getWrapped().remaining()).isEqualTo(12 + 32 + 16);

        PersonalKeys otherSecret = start("another-secret-entirely-0123456789abcdef-xyz");
        assertThatThrownBy(() -> otherSecret.key(key.keyId())).isInstanceOf(PersonErasedException.class);
    }

    @Test
    void twoInstancesRacingForANewPersonMayMakeTwoKeysAndEachReadsWhatTheOtherWrote() throws Exception {
        PersonalKeys a = start(SECRET);
        PersonalKeys b = start(SECRET);
        String email = unique();
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<byte[]> fromA = CompletableFuture.supplyAsync(() -> write(a, email, go));
        CompletableFuture<byte[]> fromB = CompletableFuture.supplyAsync(() -> write(b, email, go));
        go.countDown();

        assertThat(read(b, fromA.get()).getEmail()).isEqualTo(email);
        assertThat(read(a, fromB.get()).getEmail()).isEqualTo(email);
        assertThat(rawKeys(new Subjects(SECRET).of(email))).hasSizeBetween(1, 2);
    }

    @Test
    void tombstonesShredThePersonOnEveryInstanceAndForAnyInstanceStartedLater() {
        PersonalKeys a = start(SECRET);
        PersonalKeys b = start(SECRET);
        String email = unique();
        String other = unique();
        String subject = new Subjects(SECRET).of(email);
        byte[] record = write(a, email, new CountDownLatch(0));
        byte[] someoneElse = write(a, other, new CountDownLatch(0));
        assertThat(read(b, record).getEmail()).isEqualTo(email);

        assertThat(a.shred(subject, Instant.parse("2000-01-01T00:00:00Z"))).as("only keys made before the given time").isZero();
        assertThat(a.shred(subject, Instant.now().plusSeconds(1))).isEqualTo(1);
        assertThat(a.shred(subject, Instant.now().plusSeconds(1))).as("met again, nothing left").isZero();

        assertThatThrownBy(() -> read(a, record)).isInstanceOf(PersonErasedException.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> b.keysOf(subject) == 0);
        assertThatThrownBy(() -> read(b, record)).isInstanceOf(PersonErasedException.class);
        PersonalKeys later = start(SECRET);
        assertThatThrownBy(() -> read(later, record)).isInstanceOf(PersonErasedException.class);
        assertThat(read(later, someoneElse).getEmail()).as("only that person").isEqualTo(other);
        assertThat(rawKeys(subject)).extracting(ConsumerRecord::value).containsNull();
        Instant shredAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        assertThat(a.keyFor(email).keyId()).as("a person who comes back gets a new key").isNotIn(
                rawKeys(subject).stream().filter(r -> r.value() == null).map(r -> r.key().substring(subject.length() + 1)).toList());
        assertThat(a.shred(subject, shredAt)).as("and keeps it when the old erasure is met again").isZero();
    }

    @Test
    void theInstanceThatMadeAKeyDatesItAsEveryOtherInstanceReadsIt() {
        Instant made = Instant.parse("2026-03-02T10:00:00.000700Z");
        PersonalKeys a = start(SECRET, Clock.fixed(made, java.time.ZoneOffset.UTC));
        PersonalKeys b = start(SECRET);
        String email = unique();
        String subject = new Subjects(SECRET).of(email);
        Instant erasedAt = Instant.parse("2026-03-02T10:00:00.000400Z");

        String keyId = a.keyFor(email).keyId();
        assertThat(a.keysBefore(subject, erasedAt)).as("the record carries milliseconds; so does the maker's memory").containsExactly(keyId);
        await().atMost(Duration.ofSeconds(20)).until(() -> b.keysOf(subject) == 1);
        assertThat(b.keysBefore(subject, erasedAt)).containsExactly(keyId);
        assertThat(a.keysBefore(subject, erasedAt)).as("and it does not move when the maker reads its own key back").containsExactly(keyId);
    }

    private byte[] write(PersonalKeys keys, String email, CountDownLatch go) {
        try {
            go.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        ErasureRequested request = ErasureRequested.newBuilder().setErasureId(UUID.randomUUID().toString()).setSubject("s")
                .setEmail(email).setRequestedAt(Instant.parse("2026-03-02T10:00:00Z")).build();
        byte[] bytes = new AvroSerializer<ErasureRequested>(MockSchemaRegistry.scope(SCOPE), Map.of()).withCipher(keys)
                .serialize(Topics.PRIVACY_ERASURES.name(), request);
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain(email);
        return bytes;
    }

    private ErasureRequested read(PersonalKeys keys, byte[] bytes) {
        return new AvroDeserializer<>(MockSchemaRegistry.scope(SCOPE), ErasureRequested.class).withCipher(keys)
                .deserialize(Topics.PRIVACY_ERASURES.name(), bytes);
    }

    private PersonalKeys start(String secret) {
        return start(secret, Clock.systemUTC());
    }

    private PersonalKeys start(String secret, Clock clock) {
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of(KafkaBrokers.shared().bootstrapServers()));
        kafka.getProperties().put("schema.registry.url", "mock://" + SCOPE);
        PersonalKeys keys = new PersonalKeys(secret, kafka, Duration.ofSeconds(10), clock);
        started.add(keys);
        keys.start();
        assertThat(keys.awaitLoaded(Duration.ofSeconds(30))).isTrue();
        return keys;
    }

    private static String unique() {
        return "person-" + UUID.randomUUID() + "@example.com";
    }

    /** Every record of the subject on privacy.keys, read raw from the beginning of every partition. */
    private static List<ConsumerRecord<String, byte[]>> rawKeys(String subject) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokers.shared().bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.PRIVACY_KEYS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
            });
            return records.stream().filter(r -> r.key().startsWith(subject + ":")).toList();
        }
    }
}
