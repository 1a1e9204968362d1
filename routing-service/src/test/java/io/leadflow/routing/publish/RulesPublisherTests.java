package io.leadflow.routing.publish;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ConcurrentTransactionsException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RulesPublisherTests {

    @Test
    void everyWayTheLosingPublisherIsToldItLostIsTriedAgain() {
        // the losing side of two instances publishing at the same time sees any of these; CI runs met the last two
        assertThat(RulesPublisher.mayRetry(new ProducerFencedException("fenced"))).isTrue();
        assertThat(RulesPublisher.mayRetry(new InvalidProducerEpochException("stale epoch"))).isTrue();
        assertThat(RulesPublisher.mayRetry(new TransactionAbortableException("aborted"))).isTrue();
        assertThat(RulesPublisher.mayRetry(new ConcurrentTransactionsException("still aborting"))).isTrue();
        assertThat(RulesPublisher.mayRetry(new KafkaException("commit failed",
                new InvalidTxnStateException("The producer attempted a transactional operation in an invalid state.")))).isTrue();
        assertThat(RulesPublisher.mayRetry(new KafkaException(
                "Unhandled error in EndTxnResponse: The server experienced an unexpected error when processing the request."))).isTrue();
    }

    @Test
    void whatAnotherAttemptCannotMendIsNotRetried() {
        assertThat(RulesPublisher.mayRetry(new TimeoutException("no broker"))).isFalse();
        assertThat(RulesPublisher.mayRetry(new KafkaException("send failed", new TimeoutException("no broker")))).isFalse();
        assertThat(RulesPublisher.mayRetry(new TopicAuthorizationException(Set.of("routing.rules")))).isFalse();
        assertThat(RulesPublisher.mayRetry(new SaslAuthenticationException("bad password"))).isFalse();
        assertThat(RulesPublisher.mayRetry(new IllegalStateException("not Kafka's"))).isFalse();
    }
}
