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
import java.util.Map;
import java.util.function.Function;

/**
 * Scenarios 3 and 4: HubSpot or Slack misbehaves for a while — set through the sandbox's fault controls
 * ({@code PUT /sandbox/{hubspot|slack}/faults} with a JSON fault set, {@code DELETE} to clear; from loopback no
 * token is needed) — while webhooks keep coming.
 */
final class SandboxFault implements Scenario {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final String description;
    private final Function<Stack, String> faultsUrl;
    private final String faults;
    private final Duration lasting;
    private final Map<String, Integer> instances = new LinkedHashMap<>();

    private SandboxFault(String name, String description, Function<Stack, String> faultsUrl, String faults, Duration lasting) {
        this.name = name;
        this.description = description;
        this.faultsUrl = faultsUrl;
        this.faults = faults;
        this.lasting = lasting;
        Stack.SERVICES.forEach(s -> instances.put(s, 2));
    }

    /** (3) every HubSpot call answered 503 for {@code lasting}. */
    static SandboxFault hubspotOutage(Duration lasting) {
        return new SandboxFault("hubspot", "(3) HubSpot answers every call 503 for " + lasting.toSeconds() + " s",
                stack -> stack.hubspotUrl() + "/faults",
                "{\"outage\":{\"status\":503,\"seconds\":" + lasting.toSeconds() + "}}", lasting);
    }

    /** (4) every Slack call answered 429 with {@code Retry-After: 1} for {@code lasting}. */
    static SandboxFault slackRateLimitStorm(Duration lasting) {
        return new SandboxFault("slack", "(4) Slack answers every call 429 (Retry-After 1 s) for " + lasting.toSeconds() + " s",
                stack -> stack.slackUrl().replace("/sandbox/slack/api", "/sandbox/slack/faults"),
                "{\"rateLimitStorm\":{\"seconds\":" + lasting.toSeconds() + ",\"retryAfterSeconds\":1}}", lasting);
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
    public void inject(Stack stack, Timeline timeline) {
        String url = faultsUrl.apply(stack);
        Instant set = Instant.now();
        call(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(faults)), 200);
        Awaitility.await().pollDelay(lasting).atMost(lasting.plusSeconds(1)).until(() -> true);
        call(HttpRequest.newBuilder(URI.create(url)).DELETE(), 204);
        timeline.record(faults, name + " sandbox", set, Duration.between(set, Instant.now()));
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
