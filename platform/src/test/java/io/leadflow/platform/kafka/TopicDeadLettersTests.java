package io.leadflow.platform.kafka;

import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.PersonErasedException;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TopicDeadLettersTests {

    @Test
    void anUnreadableRecordGoesToTheDeadLetterTwinOfItsOwnTopicAndTheStreamGoesOn() {
        TopicDeadLetters handler = new TopicDeadLetters();
        handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.LEADS_RECEIVED.deadLetter()));
        ConsumerRecord<byte[], byte[]> poison = new ConsumerRecord<>(Topics.LEADS_ACTIVITY.name(), 2, 41L, "k".getBytes(), new byte[] {0, 1, 2});
        ConsumerRecord<byte[], byte[]> internal = new ConsumerRecord<>("leadflow-routing-activity-lane-repartition", 0, 7L, null, new byte[] {9});

        DeserializationExceptionHandler.Response response = handler.handleError(null, poison, new SerializationException("unknown schema id"));
        DeserializationExceptionHandler.Response fallback = handler.handleError(null, internal, new SerializationException("bad"));

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        ProducerRecord<byte[], byte[]> dead = response.deadLetterQueueRecords().get(0);
        assertThat(dead.topic()).isEqualTo("leads.activity.dlt");
        assertThat(dead.value()).containsExactly(0, 1, 2);
        assertThat(new String(dead.headers().lastHeader("leadflow.dlt.source").value())).isEqualTo("leads.activity-2@41");
        assertThat(new String(dead.headers().lastHeader("leadflow.dlt.exception").value())).isEqualTo(SerializationException.class.getName());
        assertThat(fallback.deadLetterQueueRecords()).extracting(ProducerRecord::topic).containsExactly("leads.received.dlt");
    }

    @Test
    void aRecordOfAnErasedPersonIsSkippedAndCountedNotDeadLettered() {
        Metrics.addRegistry(meters);
        TopicDeadLetters handler = new TopicDeadLetters();
        handler.configure(Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "leadflow-routing"));
        ConsumerRecord<byte[], byte[]> erased = new ConsumerRecord<>(Topics.LEADS_RECEIVED.name(), 1, 12L, "k".getBytes(), new byte[] {0, 1});
        double before = skipped("leadflow-routing", Topics.LEADS_RECEIVED.name());

        DeserializationExceptionHandler.Response response = handler.handleError(null, erased,
                new SerializationException("wrapped", new PersonErasedException("k1")));

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
        assertThat(skipped("leadflow-routing", Topics.LEADS_RECEIVED.name())).isEqualTo(before + 1);
        Metrics.removeRegistry(meters);
    }

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    static double skipped(String service, String topic) {
        var counter = Metrics.globalRegistry.find("leadflow.privacy.skipped").tags("service", service, "topic", topic).counter();
        return counter == null ? 0 : counter.count();
    }
}
