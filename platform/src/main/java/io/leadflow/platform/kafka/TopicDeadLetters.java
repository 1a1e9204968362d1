package io.leadflow.platform.kafka;

import io.leadflow.platform.privacy.PrivacySkips;
import io.leadflow.schemas.Topic;
import io.leadflow.schemas.serde.PersonErasedException;
import io.leadflow.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * For a Kafka Streams application reading several topics: a record that cannot be read goes, as its raw bytes, to
 * the dead-letter twin of the topic it came from ({@code <topic>.dlt}), inside the task's transaction, and the stream
 * goes on; a record of an erased person (its data key deleted) is skipped and counted instead. A topic outside the catalogue (an internal repartition topic) falls back to
 * {@code errors.dead.letter.queue.topic.name}. Only the exception's class is recorded, never its message (it may
 * quote the record).
 */
public class TopicDeadLetters implements DeserializationExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(TopicDeadLetters.class);

    private String fallback;
    private String service;

    @Override
    public void configure(Map<String, ?> configs) {
        Object configured = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        fallback = configured == null || configured.toString().isBlank() ? null : configured.toString();
        Object application = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
        service = application == null ? null : application.toString();
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (PersonErasedException.isCause(exception)) {
            PrivacySkips.skipped(service, record.topic(), record.partition(), record.offset());
            return Response.resume();
        }
        String target = deadLetterOf(record.topic(), fallback);
        log.warn("Unreadable record at {}-{}@{} ({}) sent to {}", record.topic(), record.partition(), record.offset(),
                exception.getClass().getName(), target == null ? "nowhere: no dead-letter topic" : target);
        if (target == null) {
            return Response.resume();
        }
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add("leadflow.dlt.source", (record.topic() + "-" + record.partition() + "@" + record.offset()).getBytes(StandardCharsets.UTF_8));
        headers.add("leadflow.dlt.exception", exception.getClass().getName().getBytes(StandardCharsets.UTF_8));
        Long timestamp = record.timestamp() < 0 ? null : record.timestamp();
        return Response.resume(List.of(new ProducerRecord<>(target, null, timestamp, record.key(), record.value(), headers)));
    }

    /** {@code <topic>.dlt} for a catalogue topic, else {@code fallback} (may be null). */
    static String deadLetterOf(String topic, String fallback) {
        return Topics.byName(topic).map(Topic::deadLetter).orElse(fallback);
    }
}
