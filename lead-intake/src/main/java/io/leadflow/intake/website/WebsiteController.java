package io.leadflow.intake.website;

import io.leadflow.intake.delivery.WebhookOpening;
import io.leadflow.intake.publish.LeadIntake;
import io.leadflow.intake.system.RejectedRequest;
import io.leadflow.intake.system.WebhookSource;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /webhooks/website}: the contact form, posted by our website's backend and signed with
 * {@code X-Leadflow-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.rawBody">} (several v1
 * allowed during a secret rotation); the website signs each attempt afresh. The leadId derives from {@code submissionId}.
 */
@RestController
class WebsiteController {

    private final WebhookOpening opening;
    private final LeadIntake intake;
    private final ObjectMapper json;

    WebsiteController(WebhookOpening opening, LeadIntake intake, ObjectMapper json) {
        this.opening = opening;
        this.intake = intake;
        this.json = json;
    }

    @PostMapping(path = "/webhooks/website", consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<ResponseEntity<Map<String, Object>>> receive(HttpServletRequest request) {
        return opening.receive(request, WebhookSource.WEBSITE, delivery -> {
            WebsiteForm form = json.readValue(delivery.body(), WebsiteForm.class);
            if (form == null) {
                throw RejectedRequest.invalid("body", "must be a JSON object");
            }
            return intake.accept(delivery, new LeadIntake.Lead(form.toDraft(), form.submissionId(), "submissionId"));
        });
    }
}
