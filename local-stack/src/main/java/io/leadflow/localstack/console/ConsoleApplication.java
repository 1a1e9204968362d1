package io.leadflow.localstack.console;

import io.leadflow.localstack.demo.WebhookClient;
import io.leadflow.sandbox.hubspot.HubSpotSandbox;
import io.leadflow.sandbox.hubspot.HubSpotSandboxWeb;
import io.leadflow.sandbox.slack.SlackInteractions;
import io.leadflow.sandbox.slack.SlackSandbox;
import io.leadflow.sandbox.slack.SlackSandboxWeb;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's web application: the JSON API and static page of the console, plus the HubSpot and
 * Slack sandboxes' HTTP endpoints. Its collaborators (sandboxes, Kafka view, settings) are handed in as
 * singletons by the local stack; nothing is component-scanned.
 *
 * <p>The API under {@code /api} shows personal data and replays records (and {@code /api/routing/**} passes routing
 * decisions, rules and simulations through), so it is an admin endpoint
 * (platform's admin-access rule): open on loopback without a token, token-protected otherwise. Only
 * {@code /api/status} and {@code /api/topics}, which carry no personal data, and the page itself stay open. The Slack
 * sandbox's fault controls ({@code /sandbox/slack/faults}) change what the stack's Slack answers: admin endpoints too.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({ConsoleController.class, RoutingViewsController.class, ConsoleProblems.class, HubSpotSandboxWeb.class, SlackSandboxWeb.class})
public class ConsoleApplication {

    /** Where the console's static files live on the classpath (not {@code static/}, which every service would serve). */
    public static final String STATIC_LOCATION = "classpath:/leadflow-console/";

    /**
     * Starts the console.
     *
     * @param bindAddress the address it listens on ({@code server.address})
     * @param adminToken  the token its API requires, or null for none (then it is open on loopback, refused beyond)
     */
    public static ConfigurableApplicationContext start(int port, String bindAddress, String adminToken, ConsoleSettings settings,
                                                       KafkaView kafkaView, HubSpotSandbox hubspot, SlackSandbox slack,
                                                       SlackInteractions slackInteractions, WebhookClient webhookClient) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("server.port", Integer.toString(port));
        props.put("server.address", bindAddress);
        props.put("spring.application.name", "leadflow-console");
        props.put("spring.config.location", "classpath:/leadflow-console/console.properties");
        props.put("spring.web.resources.static-locations", STATIC_LOCATION);
        props.put("spring.autoconfigure.exclude", "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration");
        props.put("leadflow.kafka.declare-topics", "false");
        props.put("leadflow.admin.token", adminToken == null ? "" : adminToken);
        props.put("leadflow.admin.protected-paths", "/api/**,/sandbox/slack/faults");
        props.put("leadflow.admin.open-paths", "/api/status,/api/topics");
        props.put("management.endpoints.web.exposure.include", "health");
        props.put("spring.main.banner-mode", "off");
        List<String> args = new ArrayList<>();
        props.forEach((k, v) -> args.add("--" + k + "=" + v));
        return new SpringApplicationBuilder(ConsoleApplication.class)
                .registerShutdownHook(false)
                .initializers(context -> {
                    var beans = context.getBeanFactory();
                    beans.registerSingleton("kafkaView", kafkaView);
                    beans.registerSingleton("hubSpotSandbox", hubspot);
                    beans.registerSingleton("slackSandbox", slack);
                    beans.registerSingleton("consoleSettings", settings);
                    beans.registerSingleton("webhookClient", webhookClient);
                    beans.registerSingleton("slackInteractions", slackInteractions);
                })
                .run(args.toArray(String[]::new));
    }
}
