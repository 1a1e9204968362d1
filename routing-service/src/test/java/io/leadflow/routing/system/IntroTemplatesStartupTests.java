package io.leadflow.routing.system;

import io.leadflow.routing.RoutingServiceApplication;
import io.leadflow.routing.intro.InvalidIntroTemplatesException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class IntroTemplatesStartupTests {

    @Test
    void anInvalidTemplatesFileStopsTheServiceNamingTheLineAndTheField(@TempDir Path dir) throws IOException {
        Path templates = dir.resolve("intro-emails.yml");
        Files.writeString(templates, """
                anonymous: there
                question: "You asked: {quoted}"
                booking: "Book: {bookingUrl}"
                noBooking: "Reply with a time."
                templates:
                  - id: default
                    subject: "Hello {firstName}"
                    body: "Hi {firstName}, {bookingLink}"
                """);

        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(RoutingServiceApplication.class)
                .web(WebApplicationType.NONE)
                .run("--leadflow.routing.intro-templates=" + templates, "--spring.kafka.bootstrap-servers=localhost:1",
                        "--spring.kafka.streams.auto-startup=false", "--leadflow.kafka.declare-topics=false",
                        "--spring.kafka.streams.state-dir=" + dir.resolve("state"))
                .close());

        InvalidIntroTemplatesException invalid = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidIntroTemplatesException found) {
                invalid = found;
            }
        }
        assertThat(invalid).as("start-up failed on the templates file").isNotNull();
        assertThat(invalid.getMessage()).contains(templates.toString())
                .contains("line 8: templates[0].body: unknown placeholder {bookingLink}");
        assertThat(new IntroTemplatesFailureAnalyzer().analyze(failure).getAction()).contains("LEADFLOW_INTRO_TEMPLATES");
    }
}
