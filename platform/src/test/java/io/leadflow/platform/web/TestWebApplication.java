package io.leadflow.platform.web;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A small web application with the platform's auto-configuration, started on a real Tomcat by the tests. */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration(exclude = KafkaAutoConfiguration.class)
@Import(TestWebApplication.Things.class)
class TestWebApplication {

    @RestController
    static class Things {

        @GetMapping("/things/{id}")
        Map<String, String> thing(@PathVariable String id) {
            return Map.of("id", id, "email", "ada@example.org");
        }

        @PostMapping("/things")
        Map<String, Integer> create(@RequestBody String body) {
            return Map.of("length", body.length());
        }

        @GetMapping("/things/broken")
        Map<String, String> broken() {
            throw new IllegalStateException("secret internal state of io.leadflow.Secret");
        }

        @PostMapping("/webhooks/test")
        Map<String, String> webhook() {
            return Map.of("outcome", "accepted");
        }
    }

    /** Starts the application on a free port with these properties (on top of the platform's defaults). */
    static ConfigurableApplicationContext start(String... properties) {
        List<String> all = new ArrayList<>(List.of("server.port=0", "spring.application.name=test-service",
                "spring.main.banner-mode=off", "spring.jmx.enabled=false", "leadflow.kafka.declare-topics=false",
                "management.endpoints.web.exposure.include=health,info,prometheus"));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(TestWebApplication.class).properties(all.toArray(String[]::new)).run();
    }

    static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }
}
