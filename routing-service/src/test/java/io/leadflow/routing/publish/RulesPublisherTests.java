package io.leadflow.routing.publish;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ConcurrentTransactionsException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RulesPublisherTests {

    @Test
    void everyWayTheLosingPublisherIsToldItLostIsTriedAgain() {
        // the losing side of two instances' publish at the same time sees any of these (a CI run met the invalid state)
        assertThat(RulesPublisher.fenced(new ProducerFencedException("fenced"))).isTrue();
        assertThat(RulesPublisher.fenced(new InvalidProducerEpochException("stale epoch"))).isTrue();
        assertThat(RulesPublisher.fenced(new KafkaException("commit failed",
                new InvalidTxnStateException("The producer attempted a transactional operation in an invalid state.")))).isTrue();
        assertThat(RulesPublisher.fenced(new TransactionAbortableException("aborted"))).isTrue();
        assertThat(RulesPublisher.fenced(new ConcurrentTransactionsException("still aborting"))).isTrue();
    }

    @Test
    void aBrokerThatCannotBeWrittenIsNotMistakenForAnotherPublisher() {
        assertThat(RulesPublisher.fenced(new TimeoutException("no broker"))).isFalse();
        assertThat(RulesPublisher.fenced(new TopicAuthorizationException(Set.of("routing.rules")))).isFalse();
        assertThat(RulesPublisher.fenced(new KafkaException("closed"))).isFalse();
    }
}
