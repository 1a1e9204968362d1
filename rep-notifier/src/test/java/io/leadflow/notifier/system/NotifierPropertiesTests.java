package io.leadflow.notifier.system;

import io.leadflow.avro.AlertKind;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class NotifierPropertiesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Config.class);

    @Test
    void bindsChannelsPerKindAndDefaults() {
        runner.withPropertyValues("leadflow.notifier.slack.bot-token=xoxb-test-not-a-token",
                        "leadflow.notifier.channels.new-lead=C0NEWLEADS", "leadflow.notifier.channels.trial-kickoff=",
                        "leadflow.notifier.hubspot.portal-id=12345")
                .run(context -> {
                    NotifierProperties properties = context.getBean(NotifierProperties.class);
                    assertThat(properties.channels()).containsOnlyKeys(AlertKind.NEW_LEAD).containsEntry(AlertKind.NEW_LEAD, "C0NEWLEADS");
                    assertThat(properties.slack().baseUrl()).isEqualTo("https://slack.com/api");
                    assertThat(properties.rateLimit().period()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(properties.rateLimit().burst()).isEqualTo(3);
                    assertThat(properties.toString()).doesNotContain("xoxb-test-not-a-token");
                });
    }

    @Test
    void refusesToStartWithoutABotTokenAndSaysWhichVariable() {
        runner.run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("botToken").hasMessageContaining("LEADFLOW_SLACK_BOT_TOKEN"));
    }

    @EnableConfigurationProperties(NotifierProperties.class)
    static class Config {
    }
}
