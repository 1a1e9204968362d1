package io.leadflow.localstack.console;

import io.leadflow.localstack.demo.SampleLeads;
import io.leadflow.localstack.demo.WebhookClient;
import io.leadflow.sandbox.slack.SlackInteractions;
import io.leadflow.sandbox.slack.SlackSandbox;
import io.leadflow.platform.web.AdminAccess;
import io.leadflow.platform.web.HttpProblem;
import io.leadflow.sandbox.RecordedCall;
import io.leadflow.sandbox.hubspot.HubSpotSandbox;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The console's JSON API under {@code /api}: leads, the HubSpot and Slack sandboxes, trials, topics with
 * consumer lag, dead letters with replay, and a button that posts a sample lead. The page
 * ({@code /index.html}) polls these.
 */
@RestController
@RequestMapping(path = "/api", produces = MediaType.APPLICATION_JSON_VALUE)
class ConsoleController {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final KafkaView kafka;
    private final HubSpotSandbox hubspot;
    private final SlackSandbox slack;
    private final ConsoleSettings settings;
    private final WebhookClient webhooks;
    private final SlackInteractions interactions;
    private final AdminAccess access;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    ConsoleController(KafkaView kafka, HubSpotSandbox hubspot, SlackSandbox slack, ConsoleSettings settings, WebhookClient webhooks,
                      SlackInteractions interactions, AdminAccess access) {
        this.kafka = kafka;
        this.hubspot = hubspot;
        this.slack = slack;
        this.settings = settings;
        this.webhooks = webhooks;
        this.interactions = interactions;
        this.access = access;
    }

    @GetMapping("/status")
    JsonNode status() {
        ObjectNode status = JSON.createObjectNode();
        ObjectNode endpoints = status.putObject("endpoints");
        settings.endpoints().forEach(endpoints::put);
        status.put("hubspot", settings.hubspotSandbox() ? "sandbox" : "real HubSpot");
        status.put("slack", settings.slackSandbox() ? "sandbox" : "real Slack");
        ArrayNode unsigned = status.putArray("unsignedSources");
        settings.unsignedSources().forEach(unsigned::add);
        return status;
    }

    @GetMapping("/leads")
    JsonNode leads() {
        return kafka.leads();
    }

    @GetMapping("/hubspot")
    JsonNode hubspot() {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("sandbox", settings.hubspotSandbox());
        answer.put("portalId", hubspot.settings().portalId());
        for (String type : List.of("contacts", "companies", "deals", "tasks", "notes")) {
            answer.set(type, hubspot.objects(type));
        }
        answer.set("calls", calls(hubspot.calls(100)));
        ObjectNode counts = answer.putObject("callCounts");
        hubspot.callCounts().forEach(counts::put);
        return answer;
    }

    @GetMapping("/slack")
    JsonNode slack() {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("sandbox", settings.slackSandbox());
        answer.set("messages", slack.messages(200));
        answer.set("calls", calls(slack.calls(100)));
        answer.put("rateLimited", slack.rateLimitedCount());
        ObjectNode users = answer.putObject("users");
        slack.users().forEach(users::put);
        answer.put("interactivityUrl", interactions.requestUrl().toString());
        return answer;
    }

    /** Which button of which message a person clicked in the console, and as whom. */
    record Click(String channel, String ts, String blockId, String actionId, String user) {
    }

    /**
     * A person clicks a button of a sandbox message: the sandbox sends the signed {@code block_actions} request to
     * lead-intake's interactivity URL exactly as Slack would, and the console shows what lead-intake answered.
     */
    @PostMapping(path = "/slack/click", consumes = MediaType.APPLICATION_JSON_VALUE)
    JsonNode click(@RequestBody Click click) {
        if (click == null || click.channel() == null || click.channel().isBlank()) {
            throw new IllegalArgumentException("channel: the message's channel is required");
        }
        if (click.ts() == null || click.ts().isBlank()) {
            throw new IllegalArgumentException("ts: the message's ts is required");
        }
        if (click.actionId() == null || click.actionId().isBlank()) {
            throw new IllegalArgumentException("actionId: the button's action_id is required");
        }
        ObjectNode payload = slack.click(click.channel(), click.ts(), click.blockId(), click.actionId(), click.user(),
                interactions.responseUrlBase());
        SlackInteractions.Delivery delivery;
        try {
            delivery = interactions.send(payload);
        } catch (IllegalStateException e) {
            throw upstreamFailure("lead-intake did not answer the click: " + e.getMessage());
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("sentTo", interactions.requestUrl().toString());
        answer.put("user", payload.path("user").path("id").asString(""));
        answer.put("status", delivery.status());
        String body = delivery.body() == null ? "" : delivery.body();
        answer.put("body", body.length() > 400 ? body.substring(0, 400) + "…" : body);
        return answer;
    }

    /**
     * trial-tracker's {@code GET /trials}, passed through. The console lends the stack's token only to the local user:
     * when its API is open (loopback, no token of its own). Otherwise the caller has already shown the admin token to
     * get here, and its own {@code Authorization} is what goes to trial-tracker.
     */
    @GetMapping("/trials")
    ResponseEntity<String> trials(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.trialsUrl() + "/trials"))
                .timeout(Duration.ofSeconds(5)).header("Accept", "application/json").GET();
        String credentials = access.open() ? "Bearer " + settings.adminToken() : authorization;
        if (credentials != null) {
            request.header(HttpHeaders.AUTHORIZATION, credentials);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw upstreamFailure("trial-tracker answered " + response.statusCode() + " to GET /trials");
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(response.body());
    }

    @GetMapping("/topics")
    JsonNode topics() throws Exception {
        return kafka.topics();
    }

    @GetMapping("/dead-letters")
    JsonNode deadLetters() {
        return kafka.deadLetters(50);
    }

    @PostMapping("/dead-letters/{topic}/{partition}/{offset}/replay")
    JsonNode replay(@PathVariable String topic, @PathVariable int partition, @PathVariable long offset) throws Exception {
        RecordMetadata metadata = kafka.replay(topic, partition, offset);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("replayedTo", metadata.topic());
        answer.put("partition", metadata.partition());
        answer.put("offset", metadata.offset());
        return answer;
    }

    /** Posts one website-form lead (the next persona in turn) through lead-intake, signed when a secret is set. */
    @PostMapping("/sample-lead")
    ResponseEntity<String> sampleLead() {
        SampleLeads.Persona persona = SampleLeads.PERSONAS.get((int) (System.nanoTime() / 1000 % SampleLeads.PERSONAS.size()));
        HttpResponse<String> response = webhooks.website(SampleLeads.websiteForm("console-" + UUID.randomUUID(), persona,
                Clock.systemUTC().instant()));
        return ResponseEntity.status(response.statusCode()).contentType(MediaType.APPLICATION_JSON).body(response.body());
    }

    /** A service behind the console answered with an error: 502. */
    static HttpProblem upstreamFailure(String message) {
        return new HttpProblem(HttpStatus.BAD_GATEWAY, null, message);
    }

    private static ArrayNode calls(List<RecordedCall> calls) {
        ArrayNode out = JSON.createArrayNode();
        for (RecordedCall call : calls) {
            ObjectNode c = out.addObject();
            c.put("at", call.at().toString());
            c.put("method", call.method());
            c.put("path", call.path());
            c.put("status", call.status());
            c.put("request", call.request());
            c.put("response", call.response());
        }
        return out;
    }
}
