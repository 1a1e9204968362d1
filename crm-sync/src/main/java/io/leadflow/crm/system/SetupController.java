package io.leadflow.crm.system;

import io.leadflow.crm.hubspot.HubSpotException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/**
 * Operator endpoints: {@code POST /crm/setup/properties} creates the custom HubSpot properties crm-sync needs (idempotent);
 * {@code GET /crm/setup} lists what is still missing in the account.
 */
@RestController
class SetupController {

    private final HubSpotSetup setup;

    SetupController(HubSpotSetup setup) {
        this.setup = setup;
    }

    @PostMapping("/crm/setup/properties")
    Map<String, String> createProperties() {
        return setup.createProperties();
    }

    @GetMapping("/crm/setup")
    Map<String, List<String>> check() {
        return Map.of("problems", setup.verify());
    }

    @ExceptionHandler(HubSpotException.class)
    ProblemDetail hubSpotFailed(HubSpotException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, e.getMessage());
        problem.setTitle("HubSpot call failed");
        problem.setProperty("hubspotStatus", e.status());
        if (e.correlationId() != null) {
            problem.setProperty("correlationId", e.correlationId());
        }
        return problem;
    }
}
