package io.leadflow.intake.website;

import io.leadflow.intake.delivery.WebhookOpening;
import io.leadflow.intake.nextstep.NextSteps;
import io.leadflow.intake.publish.LeadIntake;
import io.leadflow.intake.system.RejectedRequest;
import io.leadflow.intake.system.WebhookSource;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /webhooks/website}: the contact form, posted by our website's backend and signed with
 * {@code X-Leadflow-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.rawBody">} (several v1
 * allowed during a secret rotation); the website signs each attempt afresh. The leadId derives from {@code submissionId}.
 * An accepted form is answered with the visitor's next-step link too ({@code next}, {@code nextUrl} and {@code Location}),
 * which the website hands to the visitor's browser to book a call with the lead's owner as soon as routing has chosen one.
 */
@RestController
class WebsiteController {

    private final WebhookOpening opening;
    private final LeadIntake intake;
    private final ObjectMapper json;
    private final NextSteps nextSteps;

    WebsiteController(WebhookOpening opening, LeadIntake intake, ObjectMapper json, NextSteps nextSteps) {
        this.opening = opening;
        this.intake = intake;
        this.json = json;
        this.nextSteps = nextSteps;
    }

    @PostMapping(path = "/webhooks/website", consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<ResponseEntity<Map<String, Object>>> receive(HttpServletRequest request) {
        String base = nextSteps.baseUrl(request); // read on the request thread; the answer is completed on another
        // a repeat of an accepted form is answered with its lead id too, so the visitor still gets their link
        return opening.receive(request, WebhookSource.WEBSITE, delivery -> {
            WebsiteForm form = json.readValue(delivery.body(), WebsiteForm.class);
            if (form == null) {
                throw RejectedRequest.invalid("body", "must be a JSON object");
            }
            return intake.accept(delivery, new LeadIntake.Lead(form.toDraft(), form.submissionId(), "submissionId"));
        }).thenApply(answer -> withNextStep(answer, base));
    }

    private ResponseEntity<Map<String, Object>> withNextStep(ResponseEntity<Map<String, Object>> answer, String base) {
        Map<String, Object> body = answer.getBody();
        if (body == null || !(body.get("leadId") instanceof String leadId)) {
            return answer;
        }
        NextSteps.Link link = nextSteps.link(leadId, base);
        Map<String, Object> extended = new LinkedHashMap<>(body);
        extended.putAll(link.answerFields());
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                .header(HttpHeaders.LOCATION, link.absolute()).body(extended);
    }
}
