package io.leadflow.sandbox.hubspot;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * A {@link HubSpotSandbox} on a port of its own, for tests: {@code HubSpotSandboxServer.start(sandbox)} listens on a
 * random port of 127.0.0.1; give a HubSpot client {@link #baseUrl()}, read and reset the portal through
 * {@link #sandbox()}.
 */
public final class HubSpotSandboxServer implements AutoCloseable {

    private final HubSpotSandbox sandbox;
    private final ConfigurableApplicationContext context;
    private final String baseUrl;

    private HubSpotSandboxServer(HubSpotSandbox sandbox, ConfigurableApplicationContext context) {
        this.sandbox = sandbox;
        this.context = context;
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.baseUrl = "http://127.0.0.1:" + port + HubSpotSandboxWeb.BASE_PATH;
    }

    /** Starts {@code sandbox} on a random port. */
    public static HubSpotSandboxServer start(HubSpotSandbox sandbox) {
        return start(sandbox, 0);
    }

    /** Starts {@code sandbox} on {@code port} of 127.0.0.1 (0: a random one). */
    public static HubSpotSandboxServer start(HubSpotSandbox sandbox, int port) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(Server.class)
                .registerShutdownHook(false)
                .initializers(c -> c.getBeanFactory().registerSingleton("hubSpotSandbox", sandbox))
                .run("--server.port=" + port, "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
                        "--spring.application.name=hubspot-sandbox", "--spring.config.location=optional:classpath:/hubspot-sandbox/");
        return new HubSpotSandboxServer(sandbox, context);
    }

    /** What a HubSpot client is given as its base URL, e.g. {@code http://127.0.0.1:40123/sandbox/hubspot}. */
    public String baseUrl() {
        return baseUrl;
    }

    public HubSpotSandbox sandbox() {
        return sandbox;
    }

    @Override
    public void close() {
        context.close();
    }

    /** Only the web server and MVC: nothing else of the classpath it runs in (a service's Kafka, say) is configured. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @ImportAutoConfiguration({TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
            WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class})
    @Import(HubSpotSandboxWeb.class)
    static class Server {
    }
}
