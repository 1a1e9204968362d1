package io.leadflow.localstack.console;

import io.leadflow.localstack.sandbox.hubspot.HubSpotSandboxWeb;
import io.leadflow.localstack.sandbox.slack.SlackSandboxWeb;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The console's web application: the JSON API and static page of the console, plus the HubSpot and
 * Slack sandboxes' HTTP endpoints. Its collaborators (sandboxes, Kafka view, settings) are handed in as
 * singletons by the local stack; nothing is component-scanned.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({ConsoleController.class, HubSpotSandboxWeb.class, SlackSandboxWeb.class})
public class ConsoleApplication {

    /** Where the console's static files live on the classpath (not {@code static/}, which every service would serve). */
    public static final String STATIC_LOCATION = "classpath:/leadflow-console/";
}
