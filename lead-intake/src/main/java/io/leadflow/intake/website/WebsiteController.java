package io.leadflow.intake.website;

import io.leadflow.intake.publish.LeadIntake;
import io.leadflow.intake.signature.SignatureVerifier;
import io.leadflow.intake.system.IntakeProperties;
import io.leadflow.intake.system.RawBody;
import io.leadflow.intake.system.RejectedRequest;
import io.leadflow.intake.system.WebhookSource;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

import java.util.Map;

/**
 * {@code POST /webhooks/website}: the contact form, posted by our website's backend and signed with
 * {@code X-Leadflow-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.rawBody">} (several v1
 * allowed during a secret rotation). The leadId derives from {@code submissionId}.
 */
@RestController
class WebsiteController {

    private final SignatureVerifier signatures;
    private final LeadIntake intake;
    private final ObjectMapper json;
    private final IntakeProperties properties;

    WebsiteController(SignatureVerifier signatures, LeadIntake intake, ObjectMapper json, IntakeProperties properties) {
        this.signatures = signatures;
        this.intake = intake;
        this.json = json;
        this.properties = properties;
    }

    @PostMapping(path = "/webhooks/website", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> receive(HttpServletRequest request,
                                                @RequestHeader(name = SignatureVerifier.WEBSITE_HEADER, required = false) String signature) {
        long arrived = System.nanoTime();
        byte[] body = RawBody.read(request, properties.maxJsonBody());
        signatures.verifyTimestamped(WebhookSource.WEBSITE, SignatureVerifier.WEBSITE_HEADER, signature, body);
        WebsiteForm form = json.readValue(body, WebsiteForm.class);
        if (form == null) {
            throw RejectedRequest.invalid("body", "must be a JSON object");
        }
        return intake.accept(WebhookSource.WEBSITE, form.toDraft(), form.submissionId(), "submissionId", arrived);
    }
}
