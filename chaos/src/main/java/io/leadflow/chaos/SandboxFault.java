package io.leadflow.chaos;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Scenarios 3 and 4: HubSpot or Slack misbehaves for a while, in phases — each set through the sandbox's fault
 * controls ({@code PUT /sandbox/{hubspot|slack}/faults} with a JSON fault set, which replaces the last; {@code DELETE}
 * clears them at the end; from loopback no token is needed) — while webhooks keep coming.
 */
final class SandboxFault implements Scenario {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One fault set held for {@code lasting}. */
    record Phase(String faults, Duration lasting) {
    }

    private final String name;
    private final String description;
    private final Function<Stack, String> faultsUrl;
    private final List<Phase> phases;
    private final Map<String, Integer> instances = new LinkedHashMap<>();

    private SandboxFault(String name, String description, Function<Stack, String> faultsUrl, List<Phase> phases) {
        this.name = name;
        this.description = description;
        this.faultsUrl = faultsUrl;
        this.phases = List.copyOf(phases);
        Stack.SERVICES.forEach(s -> instances.put(s, 2));
    }

    /**
     * (3) HubSpot answers every call 503 for {@code outage}, then 429 (a storm of rate limiting, {@code Retry-After} 10 s)
     * for {@code storm}, then every answer 5 seconds late for {@code slow}.
     */
    static SandboxFault hubspot(Duration outage, Duration storm, Duration slow) {
        return new SandboxFault("hubspot", "(3) HubSpot answers every call 503 for " + outage.toSeconds() + " s, then 429 for "
                + storm.toSeconds() + " s, then 5 s late for " + slow.toSeconds() + " s",
                stack -> stack.hubspotUrl() + "/faults", List.of(
                new Phase("{\"outage\":{\"status\":503,\"seconds\":" + outage.toSeconds() + "}}", outage),
                new Phase("{\"rateLimitStorm\":{\"seconds\":" + storm.toSeconds() + ",\"retryAfterSeconds\":10}}", storm),
                new Phase("{\"latencyMs\":5000}", slow)));
    }

    /** (4) Slack down (every call 503) for {@code down}, then every call 429 with {@code Retry-After: 1} for {@code storm}. */
    static SandboxFault slack(Duration down, Duration storm) {
        return new SandboxFault("slack", "(4) Slack answers every call 503 for " + down.toSeconds() + " s, then 429 (Retry-After 1 s) for "
                + storm.toSeconds() + " s",
                stack -> stack.slackUrl().replace("/sandbox/slack/api", "/sandbox/slack/faults"), List.of(
                new Phase("{\"outage\":{\"status\":503,\"seconds\":" + down.toSeconds() + "}}", down),
                new Phase("{\"rateLimitStorm\":{\"seconds\":" + storm.toSeconds() + ",\"retryAfterSeconds\":1}}", storm)));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public Map<String, Integer> instances() {
        return instances;
    }

    @Override
    public Duration extraSettle() {
        return phases.stream().map(Phase::lasting).reduce(Duration.ZERO, Duration::plus);
    }

    @Override
    public void inject(Stack stack, Timeline timeline) {
        String url = faultsUrl.apply(stack);
        for (Phase phase : phases) {
            Instant set = Instant.now();
            call(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(phase.faults())), 200);
            Awaitility.await().pollDelay(phase.lasting()).atMost(phase.lasting().plusSeconds(1)).until(() -> true);
            timeline.record(phase.faults(), name + " sandbox", set, Duration.between(set, Instant.now()));
        }
        call(HttpRequest.newBuilder(URI.create(url)).DELETE(), 204);
    }

    private static void call(HttpRequest.Builder request, int expected) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException("the sandbox's fault controls answered " + response.statusCode() + " (" + response.body()
                        + ")");
            }
        } catch (IOException e) {
            throw new IllegalStateException("the sandbox's fault controls did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
