package io.leadflow.routing.topology;

import io.leadflow.avro.AlertKind;
import io.leadflow.avro.Demo;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.RepAlert;
import io.leadflow.routing.rules.RulesLoader;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.leadflow.routing.Leads.lead;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * lead-intake publishes a known leadId again when its demo is rescheduled: the stored decision goes out again with the
 * new content (same pipeline, plan, owner, reasons and routedAt), the store keeps it, and the owner hears of the new time
 * once, without a second new-lead alert.
 */
class RescheduleTests {

    @TempDir
    Path stateDir;

    private RoutingDriver driver;

    @BeforeEach
    void start() {
        driver = new RoutingDriver(RulesLoader.loadDefault(), stateDir);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aRescheduledDemoReEmitsTheStoredDecisionWithTheNewTimeAndTellsTheOwnerOnce() {
        // given a demo booking, routed
        LeadReceived booked = lead().us().demoAt("2026-01-08T15:00:00Z", "https://calendly.com/bookings/abc").build();
        LeadRouted first = driver.route(booked);
        List<KeyValue<String, RepAlert>> firstAlerts = driver.alerts();

        // when lead-intake publishes the same lead again, two hours later, with the demo moved to the next morning
        driver.clock.advance(Duration.ofHours(2));
        LeadReceived moved = LeadReceived.newBuilder(booked)
                .setReceivedAt(booked.getReceivedAt().plus(Duration.ofHours(2)))
                .setDemo(Demo.newBuilder(booked.getDemo()).setStartsAt(Instant.parse("2026-01-09T10:00:00Z")).build())
                .build();
        LeadRouted second = driver.route(moved);
        List<KeyValue<String, RepAlert>> secondAlerts = driver.alerts();

        // then the decision is the stored one, with the new demo time
        assertThat(second.getLead().getDemo().getStartsAt()).isEqualTo(Instant.parse("2026-01-09T10:00:00Z"));
        assertThat(second.getPipeline()).isEqualTo(first.getPipeline());
        assertThat(second.getRecommendedPlan()).isEqualTo(first.getRecommendedPlan());
        assertThat(second.getOwner()).isEqualTo(first.getOwner());
        assertThat(second.getReasons()).isEqualTo(first.getReasons());
        assertThat(second.getRoutedAt()).isEqualTo(first.getRoutedAt());
        assertThat(second.getLead().getReceivedAt()).as("the lead keeps its first arrival").isEqualTo(booked.getReceivedAt());
        assertThat(driver.decisionStore().get(booked.getLeadId())).isEqualTo(second);
        // and the owner gets one "demo rescheduled" alert, and no second new-lead alert
        assertThat(firstAlerts).extracting(kv -> kv.value.getAlertId()).containsExactly("NEW_LEAD:" + booked.getLeadId());
        assertThat(secondAlerts).singleElement().satisfies(alert -> {
            assertThat(alert.key).isEqualTo(first.getOwner().getRepId());
            assertThat(alert.value.getKind()).isEqualTo(AlertKind.OTHER);
            assertThat(alert.value.getAlertId()).isEqualTo("DEMO_RESCHEDULED:" + booked.getLeadId() + ":"
                    + Instant.parse("2026-01-09T10:00:00Z").toEpochMilli());
            assertThat(alert.value.getTitle()).endsWith("→ 2026-01-09 10:00 UTC");
            assertThat(alert.value.getFields()).extracting(f -> f.getLabel() + "=" + f.getValue())
                    .contains("Demo now=2026-01-09 10:00 UTC", "Was=2026-01-08 15:00 UTC");
        });

        // when the rescheduled lead is delivered once more, unchanged
        LeadRouted third = driver.route(LeadReceived.newBuilder(moved).setReceivedAt(moved.getReceivedAt().plusSeconds(30)).build());
        List<KeyValue<String, RepAlert>> thirdAlerts = driver.alerts();

        // then the stored decision goes out as it is, and no alert the notifier has not had already
        assertThat(third).isEqualTo(second);
        assertThat(thirdAlerts).extracting(kv -> kv.value.getAlertId()).containsExactly("NEW_LEAD:" + booked.getLeadId());
    }

    @Test
    void otherChangedContentIsReEmittedWithoutAnAlert() {
        // given a routed lead
        LeadReceived lead = lead().build();
        LeadRouted first = driver.route(lead);
        driver.alerts();

        // when the same lead comes again with another message
        LeadRouted again = driver.route(LeadReceived.newBuilder(lead).setMessage("Also: we need SSO.").build());

        // then the decision is the stored one with the new message, and nobody is alerted again
        assertThat(again.getLead().getMessage()).isEqualTo("Also: we need SSO.");
        assertThat(again.getOwner()).isEqualTo(first.getOwner());
        assertThat(driver.alerts()).isEmpty();
    }
}
