package io.leadflow.intake.publish;

import io.leadflow.avro.DealStageChanged;
import io.leadflow.intake.IntakeIntegrationTest;
import io.leadflow.intake.system.RejectedRequest;
import io.leadflow.intake.system.WebhookSource;
import io.leadflow.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the publisher makes of a record Kafka refuses for good, on the real broker. */
class PublisherTests extends IntakeIntegrationTest {

    @Autowired
    Publisher publisher;

    /** Retrying cannot help a record over the producer's max.request.size: a 503 would have the provider retry for ever. */
    @Test
    void rejectsARecordTooLargeForKafkaWith413NamingTheBodyInsteadOf503() {
        DealStageChanged change = DealStageChanged.newBuilder()
                .setEventId(1L).setPortalId(62515L).setDealId("4242").setPipelineId("default")
                .setStageId("x".repeat(2 * 1024 * 1024)).setPreviousStageId(null)
                .setOccurredAt(Instant.parse("2026-01-05T10:00:00Z")).setSubscriptionType("deal.propertyChange").build();
        long before = published().endOffsets(Topics.DEALS_STAGE_CHANGED);

        assertThatThrownBy(() -> publisher.publish(WebhookSource.HUBSPOT, change, System.nanoTime()).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(RejectedRequest.class, rejected -> {
                    assertThat(rejected.status().value()).isEqualTo(413);
                    assertThat(rejected.field()).isEqualTo("body");
                    assertThat(rejected.retryAfter()).isNull();
                });
        assertThat(published().endOffsets(Topics.DEALS_STAGE_CHANGED)).isEqualTo(before);
    }
}
