package io.leadflow.routing.system;

import io.leadflow.platform.privacy.PrivacyKey;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Every routing-service setting of its own ({@code leadflow.routing.*}); application.yml maps each to
 * an environment variable. Kafka Streams settings (application id, state directory, replication,
 * exactly-once) live under {@code spring.kafka.streams}.
 *
 * @param rules             path of the rules file; empty uses the handbook's default rules from the classpath
 * @param introTemplates    path of the introduction email templates; empty uses the handbook's from the classpath
 * @param forwardTimeout    how long a read is given when it is forwarded to the instance that runs the routing task
 * @param simulationTimeout the longest a simulation ({@code POST /routing/simulations}) may read and replay
 * @param slaPunctuationInterval how often due SLA clocks are looked for (wall clock)
 * @param slaMaxFiresPerTick  most SLA clocks fired by one look; the rest at the next
 * @param privacy           erasures: the key people are named by ({@code leadflow.privacy.key})
 */
@Validated
@ConfigurationProperties("leadflow.routing")
public record RoutingProperties(@DefaultValue("") String rules,
                                @DefaultValue("3s") @NotNull Duration forwardTimeout,
                                @DefaultValue("10m") @NotNull Duration simulationTimeout,
                                @DefaultValue("200ms") @NotNull Duration slaPunctuationInterval,
                                @DefaultValue("10000") @jakarta.validation.constraints.Min(1) int slaMaxFiresPerTick,
                                @DefaultValue @jakarta.validation.Valid @NotNull PrivacyKey privacy,
                                @DefaultValue("") String introTemplates) {
}
