package io.leadflow.sandbox.slack;

import io.leadflow.platform.web.LeadflowWebAutoConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * A {@link SlackSandbox} on a port of its own: for tests, {@code SlackSandboxServer.start(sandbox)} listens on a random
 * port of 127.0.0.1; give a Slack client {@link #baseUrl()}, read the workspace, inject faults and reset it through
 * {@link #sandbox()}, or over HTTP at {@link #faultsUrl()}. The fault controls follow Leadflow's admin-access rule
 * (platform's {@code AdminAccess}): with an admin token they need it, without one they are open on loopback only.
 */
public final class SlackSandboxServer implements AutoCloseable {

    private final SlackSandbox sandbox;
    private final ConfigurableApplicationContext context;
    private final String root;

    private SlackSandboxServer(SlackSandbox sandbox, ConfigurableApplicationContext context, String host) {
        this.sandbox = sandbox;
        this.context = context;
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.root = "http://" + host + ":" + port;
    }

    /** Starts {@code sandbox} on a random port of 127.0.0.1, its fault controls open to loopback. */
    public static SlackSandboxServer start(SlackSandbox sandbox) {
        return start(sandbox, 0);
    }

    /** Starts {@code sandbox} on {@code port} of 127.0.0.1 (0: a random one), its fault controls open to loopback. */
    public static SlackSandboxServer start(SlackSandbox sandbox, int port) {
        return start(sandbox, port, "127.0.0.1", null);
    }

    /**
     * Starts {@code sandbox} on {@code port} (0: a random one) of {@code address}.
     *
     * @param adminToken what the fault controls need ({@code LEADFLOW_ADMIN_TOKEN}); null or blank: none, so they are open
     *                   on loopback and refused beyond it
     */
    public static SlackSandboxServer start(SlackSandbox sandbox, int port, String address, String adminToken) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(Server.class)
                .registerShutdownHook(false)
                .initializers(c -> c.getBeanFactory().registerSingleton("slackSandbox", sandbox))
                .run("--server.port=" + port, "--server.address=" + address, "--spring.main.banner-mode=off",
                        "--server.shutdown=immediate", "--spring.application.name=slack-sandbox",
                        "--spring.config.location=optional:classpath:/slack-sandbox/",
                        "--leadflow.admin.token=" + (adminToken == null ? "" : adminToken.trim()),
                        "--leadflow.admin.protected-paths=" + SlackFaultsController.PATH);
        String host = address.contains(":") ? "[" + address + "]" : address.equals("0.0.0.0") ? "127.0.0.1" : address;
        return new SlackSandboxServer(sandbox, context, host);
    }

    /** What a Slack client is given as its base URL, e.g. {@code http://127.0.0.1:40123/sandbox/slack/api}. */
    public String baseUrl() {
        return root + SlackSandboxWeb.BASE_PATH;
    }

    /** The fault controls: {@code GET}, {@code PUT} and {@code DELETE} {@code /sandbox/slack/faults}. */
    public String faultsUrl() {
        return root + SlackFaultsController.PATH;
    }

    public SlackSandbox sandbox() {
        return sandbox;
    }

    /** Stops listening; calls a fault holds are answered first. */
    @Override
    public void close() {
        sandbox.faults().release();
        context.close();
    }

    /**
     * Only the web server, MVC and the admin-access rule: nothing else of the classpath it runs in (a service's Kafka,
     * say) is configured.
     */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @ImportAutoConfiguration({TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
            WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class, LeadflowWebAutoConfiguration.class})
    @Import(SlackSandboxWeb.class)
    static class Server {
    }
}
