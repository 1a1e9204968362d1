package io.leadflow.notifier.delivery;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OffsetTrackerTests {

    private static final TopicPartition P0 = new TopicPartition("rep.alerts", 0);

    private final OffsetTracker tracker = new OffsetTracker();

    @Test
    void commitsNoFurtherThanTheLowestAlertStillInFlight() {
        tracker.assigned(List.of(P0));
        OffsetTracker.Ticket first = tracker.begin(P0, 10);
        OffsetTracker.Ticket second = tracker.begin(P0, 11);
        OffsetTracker.Ticket third = tracker.begin(P0, 12);

        tracker.done(second);
        tracker.done(third);

        assertThat(tracker.committable(List.of(P0))).isEqualTo(Map.of(P0, new OffsetAndMetadata(10)));
        tracker.done(first);
        assertThat(tracker.committable(List.of(P0))).isEqualTo(Map.of(P0, new OffsetAndMetadata(13)));
        assertThat(tracker.inFlight()).isZero();
    }

    @Test
    void offersNothingNewOnceCommitted() {
        tracker.assigned(List.of(P0));
        tracker.done(tracker.begin(P0, 4));
        Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable(List.of(P0));

        tracker.committed(offsets);

        assertThat(tracker.committable(List.of(P0))).isEmpty();
    }

    @Test
    void workFromAnEarlierAssignmentNoLongerOwnsItsRecord() {
        tracker.assigned(List.of(P0));
        OffsetTracker.Ticket before = tracker.begin(P0, 7);

        tracker.revoked(List.of(P0));
        tracker.assigned(List.of(P0));
        OffsetTracker.Ticket after = tracker.begin(P0, 7);
        tracker.done(before);

        assertThat(tracker.owns(before)).isFalse();
        assertThat(tracker.owns(after)).isTrue();
        assertThat(tracker.inFlight()).isEqualTo(1);
        assertThat(tracker.committable(List.of(P0))).isEqualTo(Map.of(P0, new OffsetAndMetadata(7)));
    }

    @Test
    void recordSkippedByTheErrorHandlerDoesNotHoldCommitsBack() {
        tracker.assigned(List.of(P0));
        tracker.done(tracker.begin(P0, 0));

        tracker.skipped(P0, 1);

        assertThat(tracker.committable(List.of(P0))).isEqualTo(Map.of(P0, new OffsetAndMetadata(2)));
    }
}
