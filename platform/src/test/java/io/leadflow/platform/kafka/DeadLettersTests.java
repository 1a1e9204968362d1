package io.leadflow.platform.kafka;

import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.PersonErasedException;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.support.serializer.DeserializationException;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeadLettersTests {

    /** A template that cannot send: any attempt to dead-letter fails the test. */
    private static final Map<Class<?>, KafkaOperations<?, ?>> NOWHERE =
            Map.of(Object.class, new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(Map.<String, Object>of())));

    @Test
    void aRecordOfAnErasedPersonIsCountedAndSkippedWhileAnyOtherFailureIsDeadLettered() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Metrics.addRegistry(meters);
        try {
            DeadLetterPublishingRecoverer recoverer = DeadLetters.recoverer(NOWHERE, "crm-sync");
            ConsumerRecord<Object, Object> record = new ConsumerRecord<>(Topics.LEADS_ROUTED.name(), 2, 40L, "lead-1", null);
            Exception erased = new DeserializationException("unreadable", new byte[] {0}, false, new PersonErasedException("k1"));

            recoverer.accept(record, null, erased);

            assertThat(meters.get("leadflow.privacy.skipped").tags("service", "crm-sync", "topic", "leads.routed").counter().count()).isEqualTo(1);
            assertThatThrownBy(() -> recoverer.accept(record, null, new SerializationException("bad bytes")))
                    .as("anything else still goes to the dead-letter topic").isNotNull();
        } finally {
            Metrics.removeRegistry(meters);
        }
    }
}
