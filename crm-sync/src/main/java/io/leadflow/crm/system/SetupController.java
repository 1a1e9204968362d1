package io.leadflow.crm.system;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/**
 * Operator endpoints: {@code POST /crm/setup/properties} creates the custom HubSpot properties crm-sync needs (idempotent);
 * {@code GET /crm/setup} lists what is still missing in the account. A failed HubSpot call is a 502 problem
 * ({@link HubSpotProblems}).
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
}
