package io.leadflow.intake.nextstep;

import io.leadflow.intake.system.IntakeProperties;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** Makes the next-step link a website form's answer carries: the path, and the absolute URL for {@code Location}. */
@Component
public class NextSteps {

    private final NextStepTokens tokens;
    private final Clock clock;
    private final String publicUrl;

    NextSteps(NextStepTokens tokens, Clock clock, IntakeProperties properties) {
        this.tokens = tokens;
        this.clock = clock;
        String configured = properties.nextStep().publicUrl();
        this.publicUrl = configured == null || configured.isBlank() ? null : configured.trim().replaceAll("/+$", "");
    }

    /** lead-intake's public base URL: the configured one, else this request's scheme, host and port. */
    public String baseUrl(HttpServletRequest request) {
        return publicUrl != null ? publicUrl : ServletUriComponentsBuilder.fromContextPath(request).build().toUriString();
    }

    /** A link to the next step of this lead, under {@code baseUrl}. */
    public Link link(String leadId, String baseUrl) {
        String path = NextStepController.PATH + tokens.issue(leadId, clock.instant());
        return new Link(path, baseUrl + path);
    }

    /**
     * @param path     relative to lead-intake ({@code /leads/next/<token>}), the answer's {@code next}
     * @param absolute the same link with lead-intake's public base URL, the answer's {@code Location}
     */
    public record Link(String path, String absolute) {

        public Map<String, Object> answerFields() {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("next", path);
            fields.put("nextUrl", absolute);
            return fields;
        }
    }
}
