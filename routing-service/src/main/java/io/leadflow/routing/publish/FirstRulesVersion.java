package io.leadflow.routing.publish;

import io.leadflow.routing.rules.RulesLoader;
import io.leadflow.routing.system.RoutingProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * When {@code routing.rules} is empty, the file the service started with ({@code LEADFLOW_ROUTING_RULES}, else the
 * default rules) becomes version 1. Later starts publish nothing: from then on the topic, not the file, says which rules
 * are live. Until version 1 reaches the routing lane, leads are decided under the same file (version 0).
 */
@Component
class FirstRulesVersion {

    private static final Logger log = LoggerFactory.getLogger(FirstRulesVersion.class);

    private final RulesPublisher publisher;
    private final RoutingProperties properties;

    FirstRulesVersion(RulesPublisher publisher, RoutingProperties properties) {
        this.publisher = publisher;
        this.properties = properties;
    }

    /**
     * Before the service counts as started, so version 1 exists once it answers; an unreachable broker costs at most the
     * publisher's timeouts, and the next start tries again.
     */
    @EventListener(ApplicationReadyEvent.class)
    void publishIfNoneYet() {
        String source = properties.rules().isBlank() ? "classpath:" + RulesLoader.DEFAULT_RESOURCE : properties.rules();
        try {
            publisher.publishFirst(text(), "routing-service", "the rules file it started with: " + source).ifPresentOrElse(
                    v -> log.info("routing.rules was empty: published {} as v1", source),
                    () -> log.info("routing.rules has versions already; {} is not published (PUT /routing/rules publishes a file)", source));
        } catch (RulesPublisher.UnavailableException e) {
            log.warn("Could not publish {} as the first rules version ({}); leads are decided under it meanwhile, the next start tries again",
                    source, e.getMessage());
        }
    }

    private String text() {
        try {
            if (properties.rules().isBlank()) {
                try (InputStream in = RulesLoader.class.getClassLoader().getResourceAsStream(RulesLoader.DEFAULT_RESOURCE)) {
                    if (in == null) {
                        throw new IllegalStateException("missing resource " + RulesLoader.DEFAULT_RESOURCE);
                    }
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            return Files.readString(Path.of(properties.rules()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
