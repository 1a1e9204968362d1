package io.leadflow.routing.topology;

import io.leadflow.avro.ActivityKind;
import io.leadflow.avro.AlertField;
import io.leadflow.avro.AlertKind;
import io.leadflow.avro.LeadActivity;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.RepAlert;
import io.leadflow.routing.decide.NewLeadAlert;
import io.leadflow.routing.intro.IntroEmails;
import io.leadflow.routing.intro.IntroTemplates;
import io.leadflow.routing.rules.RulesLoader;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static io.leadflow.routing.Leads.lead;
import static org.assertj.core.api.Assertions.assertThat;

/** The introduction email through the routing topology: on the first decision, in the owner's alert, kept across versions. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntroEmailRoutingTests {

    private RoutingDriver driver;

    @BeforeAll
    void start(@TempDir Path stateDir) {
        driver = new RoutingDriver(RulesLoader.loadDefault(), stateDir, new IntroEmails(IntroTemplates.loadDefault()));
    }

    @BeforeEach
    void nextDay() {
        driver.clock.advance(Duration.ofDays(1));
        driver.decisions();
        driver.alerts();
    }

    @AfterAll
    void stop() {
        driver.close();
    }

    @Test
    void aFormLeadsDecisionCarriesItsIntroductionAndTheOwnersAlertTheDraft() {
        LeadRouted decision = driver.route(lead().message("Can we self-host?").build());
        RepAlert alert = only(driver.alerts());

        assertThat(decision.getIntroEmail()).isNotNull();
        assertThat(decision.getIntroEmail().getFromEmail()).isEqualTo(decision.getOwner().getEmail());
        assertThat(decision.getIntroEmail().getBody()).contains("> Can we self-host?").contains(decision.getOwner().getBookingUrl());
        assertThat(alert.getKind()).isEqualTo(AlertKind.NEW_LEAD);
        assertThat(draft(alert)).hasValue("To: " + decision.getIntroEmail().getTo() + "\nSubject: " + decision.getIntroEmail().getSubject()
                + "\n\n" + decision.getIntroEmail().getBody());
    }

    @Test
    void aBookedDemoGetsNoIntroductionAndNoDraft() {
        LeadRouted decision = driver.route(lead().demoAt("2026-03-02T15:00:00Z", "https://calendly.com/booking/1").build());

        assertThat(decision.getIntroEmail()).isNull();
        assertThat(draft(only(driver.alerts()))).isEmpty();
    }

    @Test
    void aRepeatedLeadAndAReassignmentCarryTheFirstIntroductionUnchanged() {
        var lead = lead().message("Pricing for 80m events?").build();
        LeadRouted first = driver.route(lead);
        driver.alerts();

        LeadRouted repeated = driver.route(lead);
        driver.activity(LeadActivity.newBuilder().setActivityId("slack:intro-pass").setLeadId(first.getLeadId())
                .setKind(ActivityKind.PASSED).setSource("slack").setActorSlackUserId(first.getOwner().getSlackUserId())
                .setSlackChannel("D0CLICKED").setSlackMessageTs("1767600000.000100").setDetail("decisionVersion=1")
                .setOccurredAt(driver.clock.instant()).build());
        List<KeyValue<String, LeadRouted>> versions = driver.decisions();

        assertThat(repeated.getIntroEmail()).isEqualTo(first.getIntroEmail());
        assertThat(versions).hasSize(1);
        LeadRouted second = versions.get(0).value;
        assertThat(second.getDecisionVersion()).isEqualTo(2);
        assertThat(second.getOwner().getRepId()).isNotEqualTo(first.getOwner().getRepId());
        assertThat(second.getIntroEmail()).isEqualTo(first.getIntroEmail());
    }

    private static Optional<String> draft(RepAlert alert) {
        return alert.getFields().stream().filter(f -> f.getLabel().equals(NewLeadAlert.DRAFT_LABEL)).map(AlertField::getValue).findFirst();
    }

    private static RepAlert only(List<KeyValue<String, RepAlert>> alerts) {
        assertThat(alerts).hasSize(1);
        return alerts.get(0).value;
    }
}
