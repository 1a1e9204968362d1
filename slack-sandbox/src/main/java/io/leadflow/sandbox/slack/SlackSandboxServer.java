package io.leadflow.sandbox.slack;

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
 * A {@link SlackSandbox} on a port of its own, for tests: {@code SlackSandboxServer.start(sandbox)} listens on a random
 * port of 127.0.0.1; give a Slack client {@link #baseUrl()}, read the workspace, inject faults and reset it through
 * {@link #sandbox()}.
 */
public final class SlackSandboxServer implements AutoCloseable {

    private final SlackSandbox sandbox;
    private final ConfigurableApplicationContext context;
    private final String baseUrl;

    private SlackSandboxServer(SlackSandbox sandbox, ConfigurableApplicationContext context) {
        this.sandbox = sandbox;
        this.context = context;
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.baseUrl = "http://127.0.0.1:" + port + SlackSandboxWeb.BASE_PATH;
    }

    /** Starts {@code sandbox} on a random port. */
    public static SlackSandboxServer start(SlackSandbox sandbox) {
        return start(sandbox, 0);
    }

    /** Starts {@code sandbox} on {@code port} of 127.0.0.1 (0: a random one). */
    public static SlackSandboxServer start(SlackSandbox sandbox, int port) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(Server.class)
                .registerShutdownHook(false)
                .initializers(c -> c.getBeanFactory().registerSingleton("slackSandbox", sandbox))
                .run("--server.port=" + port, "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
                        "--server.shutdown=immediate", "--spring.application.name=slack-sandbox",
                        "--spring.config.location=optional:classpath:/slack-sandbox/");
        return new SlackSandboxServer(sandbox, context);
    }

    /** What a Slack client is given as its base URL, e.g. {@code http://127.0.0.1:40123/sandbox/slack/api}. */
    public String baseUrl() {
        return baseUrl;
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

    /** Only the web server and MVC: nothing else of the classpath it runs in (a service's Kafka, say) is configured. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @ImportAutoConfiguration({TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
            WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class})
    @Import(SlackSandboxWeb.class)
    static class Server {
    }
}
