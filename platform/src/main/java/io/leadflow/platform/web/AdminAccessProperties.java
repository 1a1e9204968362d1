package io.leadflow.platform.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * Who may call a service's admin endpoints ({@code leadflow.admin.*}): those that read personal data or change
 * state. Paths are Spring path patterns ({@code /routing/**}) matched against the path within the application.
 *
 * @param token                bearer token of the admin endpoints ({@code LEADFLOW_ADMIN_TOKEN}); empty = none configured
 * @param protectedPaths       endpoints that need the token, unless the service listens only on loopback and no token is
 *                             configured; by default everything not in {@code openPaths}
 * @param openPaths            endpoints that never need it: health, info and metrics for probes and scrapers, the signed
 *                             webhooks, the published API descriptions and Spring's error page
 * @param alwaysProtectedPaths endpoints that need the token even on loopback; refused while no token is configured
 */
@ConfigurationProperties("leadflow.admin")
public record AdminAccessProperties(@DefaultValue("") String token,
                                    @DefaultValue("/**") List<String> protectedPaths,
                                    @DefaultValue({"/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus",
                                            "/webhooks/**", "/openapi/**", "/error"}) List<String> openPaths,
                                    @DefaultValue List<String> alwaysProtectedPaths) {

    public AdminAccessProperties {
        token = token == null ? "" : token.trim();
        protectedPaths = protectedPaths == null ? List.of() : List.copyOf(protectedPaths);
        openPaths = openPaths == null ? List.of() : List.copyOf(openPaths);
        alwaysProtectedPaths = alwaysProtectedPaths == null ? List.of() : List.copyOf(alwaysProtectedPaths);
    }

    public boolean tokenConfigured() {
        return !token.isEmpty();
    }

    @Override
    public String toString() {
        return "AdminAccessProperties[token=" + (token.isEmpty() ? "<unset>" : "***") + ", protectedPaths=" + protectedPaths
                + ", openPaths=" + openPaths + ", alwaysProtectedPaths=" + alwaysProtectedPaths + "]";
    }
}
