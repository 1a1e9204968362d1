package io.leadflow.sandbox.hubspot;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.filter.UrlHandlerFilter;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Serves a {@link HubSpotSandbox} bean over HTTP under {@value #BASE_PATH}: that URL is the base URL a HubSpot client is
 * given. Import it into any servlet application that has the bean; {@link HubSpotSandboxServer} is one on its own.
 */
@Configuration(proxyBeanMethods = false)
@Import({ObjectsController.class, SearchController.class, AssociationsController.class, PropertiesController.class,
        PortalController.class, GdprDeleteController.class, FaultsController.class, HubSpotSandboxWeb.Unrouted.class, HubSpotSandboxWeb.Errors.class})
public class HubSpotSandboxWeb {

    public static final String BASE_PATH = "/sandbox/hubspot";

    /** HubSpot ignores a trailing slash ({@code /crm/v3/owners/}); so does the sandbox. */
    @Bean
    FilterRegistrationBean<UrlHandlerFilter> hubSpotSandboxTrailingSlash() {
        FilterRegistrationBean<UrlHandlerFilter> registration = new FilterRegistrationBean<>(
                UrlHandlerFilter.trailingSlashHandler(BASE_PATH + "/**").wrapRequest().build());
        registration.addUrlPatterns(BASE_PATH + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    FilterRegistrationBean<SandboxFilter> hubSpotSandboxFilter(HubSpotSandbox sandbox) {
        FilterRegistrationBean<SandboxFilter> registration = new FilterRegistrationBean<>(new SandboxFilter(sandbox));
        registration.addUrlPatterns(BASE_PATH + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 11);
        return registration;
    }

    /** Any other path: HubSpot's 404 body, naming what the sandbox implements. */
    @RestController
    static class Unrouted {

        @RequestMapping(BASE_PATH + "/**")
        ResponseEntity<String> unrouted(HttpServletRequest request) {
            String path = request.getRequestURI().substring(request.getContextPath().length() + BASE_PATH.length());
            String segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty())
                    .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8)).collect(Collectors.joining("/"));
            throw new HubSpotError(404, "OBJECT_NOT_FOUND", "Unable to route " + request.getMethod() + " " + segments
                    + " (the local HubSpot sandbox implements CRM objects, search, associations, pipelines, properties and owners)");
        }
    }

    /** Errors of the sandbox's controllers as HubSpot words them (not the application's problem+json). */
    @RestControllerAdvice(assignableTypes = {ObjectsController.class, SearchController.class, AssociationsController.class,
            PropertiesController.class, PortalController.class, GdprDeleteController.class, Unrouted.class})
    @Order(Ordered.HIGHEST_PRECEDENCE)
    static class Errors {

        @ExceptionHandler(HubSpotError.class)
        ResponseEntity<String> hubSpot(HubSpotError e) {
            return Answers.error(e);
        }

        @ExceptionHandler(tools.jackson.core.JacksonException.class)
        ResponseEntity<String> json(tools.jackson.core.JacksonException e) {
            return Answers.error(new HubSpotError(400, "VALIDATION_ERROR", "Invalid input JSON on line 1: " + e.getOriginalMessage()));
        }
    }
}
