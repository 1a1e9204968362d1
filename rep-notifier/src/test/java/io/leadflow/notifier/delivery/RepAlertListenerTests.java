package io.leadflow.notifier.delivery;

import io.leadflow.avro.RepAlert;
import io.leadflow.notifier.TestAlerts;
import io.leadflow.schemas.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.MessageListenerContainer;

import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class RepAlertListenerTests {

    private static final TopicPartition P0 = new TopicPartition(Topics.REP_ALERTS.name(), 0);

    private final AlertDelivery delivery = mock(AlertDelivery.class);
    private final MessageListenerContainer container = mock(MessageListenerContainer.class);
    private final OffsetTracker tracker = new OffsetTracker();
    private final Consumer<?, ?> consumer = mock(Consumer.class);

    @Test
    void pausesWhenTooManyAlertsAreInFlightAndResumesAtHalf() {
        RepAlertListener listener = new RepAlertListener(delivery, tracker, registry(), 4);
        when(consumer.assignment()).thenReturn((Set) Set.of(P0));
        tracker.assigned(List.of(P0));

        for (int offset = 0; offset < 4; offset++) {
            listener.onAlert(record(offset), consumer);
        }

        verify(container).pause();
        ArgumentCaptor<Runnable> done = ArgumentCaptor.forClass(Runnable.class);
        verify(delivery, times(4)).submit(any(), any(BooleanSupplier.class), done.capture());
        done.getAllValues().get(0).run();
        verify(container, never()).resume();
        done.getAllValues().get(1).run();
        verify(container).resume();
        verify(consumer, times(4)).commitAsync(anyMap(), any());
    }

    @Test
    void unreadableRecordIsDeadLetteredAndDoesNotHoldCommitsBack() {
        ConsumerRecordRecoverer recoverer = mock(ConsumerRecordRecoverer.class);
        AlertsErrorHandler handler = new AlertsErrorHandler(recoverer, tracker);
        tracker.assigned(List.of(P0));
        ConsumerRecord<String, RepAlert> unreadable = record(0);
        SerializationException error = new SerializationException("not Avro");

        boolean handled = handler.handleOne(error, unreadable, consumer, container);

        assertThat(handled).isTrue();
        verify(recoverer).accept(eq(unreadable), eq(error));
        assertThat(tracker.committable(List.of(P0))).containsOnlyKeys(P0);
        assertThat(tracker.committable(List.of(P0)).get(P0).offset()).isEqualTo(1);
    }

    @SuppressWarnings("unchecked")
    private ObjectProvider<KafkaListenerEndpointRegistry> registry() {
        KafkaListenerEndpointRegistry registry = mock(KafkaListenerEndpointRegistry.class);
        when(registry.getListenerContainer(RepAlertListener.ID)).thenReturn(container);
        ObjectProvider<KafkaListenerEndpointRegistry> provider = mock(ObjectProvider.class);
        when(provider.getIfAvailable()).thenReturn(registry);
        return provider;
    }

    private static ConsumerRecord<String, RepAlert> record(long offset) {
        RepAlert alert = TestAlerts.toChannel("alert-" + offset, "C0LEADS");
        return new ConsumerRecord<>(P0.topic(), P0.partition(), offset, alert.getRepId(), alert);
    }
}
