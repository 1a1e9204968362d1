package io.leadflow.platform.kafka;

import io.leadflow.platform.privacy.PrivacySkips;
import io.leadflow.schemas.Topic;
import io.leadflow.schemas.serde.PersonErasedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.support.converter.ConversionException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.messaging.converter.MessageConversionException;

import java.util.Map;

/** Dead-letter routing: a record from {@code <topic>} goes to {@code <topic>.dlt}, same partition. */
public final class DeadLetters {

    /** Errors a retry cannot fix: the record goes straight to the dead-letter topic. */
    @SuppressWarnings("unchecked")
    static final Class<? extends Exception>[] NOT_RETRYABLE = new Class[] {
            DeserializationException.class, SerializationException.class, ConversionException.class,
            MessageConversionException.class, IllegalArgumentException.class, PermanentFailure.class};

    private DeadLetters() {
    }

    public static DeadLetterPublishingRecoverer recoverer(Map<Class<?>, KafkaOperations<?, ?>> templates) {
        return recoverer(templates, null);
    }

    /**
     * As {@link #recoverer(Map)}, except for a record of an erased person ({@link PersonErasedException}): skipped and
     * counted in {@code leadflow.privacy.skipped{service,topic}}, never dead-lettered.
     */
    public static DeadLetterPublishingRecoverer recoverer(Map<Class<?>, KafkaOperations<?, ?>> templates, String service) {
        return new DeadLetterPublishingRecoverer(templates,
                (record, exception) -> new TopicPartition(record.topic() + Topic.DEAD_LETTER_SUFFIX, record.partition())) {
            @Override
            public void accept(ConsumerRecord<?, ?> record, Consumer<?, ?> consumer, Exception exception) {
                if (PersonErasedException.isCause(exception)) {
                    PrivacySkips.skipped(service, record.topic(), record.partition(), record.offset());
                    return;
                }
                super.accept(record, consumer, exception);
            }
        };
    }

    /** Thrown by a listener for a record that can never succeed (e.g. HubSpot rejected it with 400). */
    public static class PermanentFailure extends RuntimeException {
        public PermanentFailure(String message) {
            super(message);
        }

        public PermanentFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
