package io.leadflow.intake.slack;

import io.leadflow.avro.ActivityKind;
import io.leadflow.avro.LeadActivity;
import io.leadflow.intake.delivery.Answer;
import io.leadflow.intake.delivery.Delivery;
import io.leadflow.intake.delivery.WebhookOpening;
import io.leadflow.intake.publish.LeadActivities;
import io.leadflow.intake.system.RejectedRequest;
import io.leadflow.intake.system.Timestamps;
import io.leadflow.intake.system.WebhookSource;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /webhooks/slack/interactions}: the Slack app's Interactivity Request URL. Slack posts every interaction
 * there as {@code application/x-www-form-urlencoded} with one field, {@code payload}, holding the interaction as JSON
 * ("Handling user interaction", https://docs.slack.dev/interactivity/handling-user-interaction), signed with
 * {@code X-Slack-Signature} (see {@code SignatureVerifier}). It comes through the shared {@link WebhookOpening}: bounded
 * body, signature over the raw bytes, and the replay memory keyed on the body, which carries the interaction's own
 * {@code trigger_id} and {@code action_ts}, so a request seen again is answered again and recorded once.
 *
 * <p>A click on a lead alert's Accept or Pass button is a {@code block_actions} payload
 * (https://docs.slack.dev/reference/interaction-payloads/block_actions-payload) whose {@code actions[0]} carries the
 * button's {@code action_id} ({@code lead.accept} or {@code lead.pass}), its {@code value}
 * ({@code <leadId>:<decisionVersion>}, as routing-service built it) and {@code action_ts}. It becomes an
 * {@code ACCEPTED} or {@code PASSED} activity on {@code leads.activity}, keyed by the leadId: who clicked
 * ({@code user.id}), in which channel ({@code channel.id}, else {@code container.channel_id}), on which message
 * ({@code container.message_ts}), with {@code decisionVersion=<n>} as detail. Intake does not check that the clicker
 * owns the lead; routing-service decides, and answers the clicker through rep-notifier (an ephemeral message, or the
 * alert updated in place with {@code chat.update}).
 *
 * <p>Slack wants an HTTP 200 within 3 seconds or shows the user an error; an empty one shows nothing. The answer is
 * sent once Kafka acknowledged the activity, and a 503 instead when that has not happened {@link #ANSWER_WITHIN} after
 * arrival. Other interactions (a modal's {@code view_submission}, a menu's {@code block_suggestion}) and other buttons
 * (Slack also posts a click on a link button, such as the alert's HubSpot link) are answered 200 and ignored. A payload
 * that cannot be a click of ours gets a 400 naming the field, which Slack shows as an error: right for a forged or
 * broken request.
 */
@RestController
class SlackInteractionsController {

    static final String ACCEPT = "lead.accept";
    static final String PASS = "lead.pass";
    static final String SOURCE = "slack";
    /** Slack's acknowledgement is due within 3 s of its request; this leaves time for the answer's way back. */
    static final Duration ANSWER_WITHIN = Duration.ofMillis(2_500);
    /** Slack ids, timestamps and our button values are short; anything longer is not from one of our buttons. */
    static final int MAX_TEXT = 255;

    private final WebhookOpening opening;
    private final LeadActivities activities;
    private final ObjectMapper json;

    SlackInteractionsController(WebhookOpening opening, LeadActivities activities, ObjectMapper json) {
        this.opening = opening;
        this.activities = activities;
        this.json = json;
    }

    @PostMapping(path = WebhookSource.SLACK_INTERACTIONS_PATH, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    CompletableFuture<ResponseEntity<Map<String, Object>>> receive(HttpServletRequest request) {
        return opening.receive(request, WebhookSource.SLACK, this::interaction);
    }

    private CompletableFuture<Answer> interaction(Delivery delivery) {
        JsonNode payload = payload(InteractionForm.payload(delivery.body()));
        String type = text(payload, "type", "payload.type", true);
        if (!type.equals("block_actions")) {
            return ignored();
        }
        JsonNode actions = payload.path("actions");
        if (!actions.isArray() || actions.isEmpty() || !actions.get(0).isObject()) {
            throw RejectedRequest.invalid("payload.actions", "must hold the clicked action");
        }
        JsonNode action = actions.get(0);
        String actionId = text(action, "action_id", "payload.actions[0].action_id", true);
        ActivityKind kind = switch (actionId) {
            case ACCEPT -> ActivityKind.ACCEPTED;
            case PASS -> ActivityKind.PASSED;
            default -> null;
        };
        if (kind == null) {
            return ignored();
        }
        ButtonValue value = ButtonValue.parse(text(action, "value", "payload.actions[0].value", true));
        String user = text(payload.path("user"), "id", "payload.user.id", true);
        String actionTs = text(action, "action_ts", "payload.actions[0].action_ts", true);
        JsonNode container = payload.path("container");
        String channel = text(payload.path("channel"), "id", "payload.channel.id", false);
        if (channel == null) {
            channel = text(container, "channel_id", "payload.container.channel_id", false);
        }
        LeadActivity activity = LeadActivities.activity(kind, SOURCE, SOURCE + ":" + actionTs + ":" + user,
                        "payload.actions[0].action_ts", slackTime(actionTs, "payload.actions[0].action_ts"))
                .setLeadId(value.leadId())
                .setActorSlackUserId(user)
                .setSlackChannel(channel)
                .setSlackMessageTs(text(container, "message_ts", "payload.container.message_ts", false))
                .setDetail("decisionVersion=" + value.decisionVersion())
                .build();
        return activities.record(delivery, activity, "accepted", ANSWER_WITHIN);
    }

    private static CompletableFuture<Answer> ignored() {
        return CompletableFuture.completedFuture(new Answer(null, "ignored"));
    }

    private JsonNode payload(String text) {
        JsonNode payload;
        try {
            payload = json.readTree(text);
        } catch (JacksonException e) {
            throw RejectedRequest.invalid("payload", "is not valid JSON");
        }
        if (payload == null || !payload.isObject()) {
            throw RejectedRequest.invalid("payload", "must be a JSON object");
        }
        return payload;
    }

    /** A short text field; a 400 naming it when it is required and missing, or not a short string. */
    static String text(JsonNode node, String name, String field, boolean required) {
        JsonNode value = node.path(name);
        if (value.isMissingNode() || value.isNull() || (value.isString() && value.asString().isBlank())) {
            if (required) {
                throw RejectedRequest.invalid(field, "is required");
            }
            return null;
        }
        if (!value.isString()) {
            throw RejectedRequest.invalid(field, "must be a string");
        }
        String text = value.asString().trim();
        if (text.length() > MAX_TEXT) {
            throw RejectedRequest.invalid(field, "is longer than " + MAX_TEXT + " characters");
        }
        return text;
    }

    /** A Slack timestamp ({@code "1600857119.015400"}: unix seconds with a fraction) as an instant. */
    static Instant slackTime(String ts, String field) {
        boolean dot = false;
        boolean digits = false;
        for (int i = 0; i < ts.length(); i++) {
            char c = ts.charAt(i);
            if (c == '.' && !dot) {
                dot = true;
            } else if (c >= '0' && c <= '9') {
                digits = true;
            } else {
                digits = false;
                break;
            }
        }
        if (!digits || ts.length() > 32) {
            throw RejectedRequest.invalid(field, "must be a Slack timestamp such as 1767607200.123456");
        }
        BigDecimal seconds = new BigDecimal(ts);
        Instant instant = Instant.ofEpochSecond(0).plusMillis(seconds.movePointRight(3).longValue());
        if (instant.isBefore(Timestamps.EARLIEST) || instant.isAfter(Timestamps.LATEST)) {
            throw RejectedRequest.invalid(field, "must lie between the years 2000 and 2199");
        }
        return instant;
    }

    /**
     * A lead button's value: {@code <leadId>:<decisionVersion>}, the leadId a UUID and the version a positive number
     * (the {@code LeadRouted} decision the alert was built from, which routing-service compares with the current one).
     */
    record ButtonValue(String leadId, long decisionVersion) {

        static final String FIELD = "payload.actions[0].value";
        /** More digits than any decision version reaches; keeps the parse linear and overflow-free. */
        static final int MAX_VERSION_DIGITS = 9;

        static ButtonValue parse(String value) {
            int colon = value.indexOf(':');
            if (colon <= 0 || colon == value.length() - 1) {
                throw RejectedRequest.invalid(FIELD, "must be <leadId>:<decisionVersion>");
            }
            String leadId = value.substring(0, colon).toLowerCase(Locale.ROOT);
            if (!isUuid(leadId)) {
                throw RejectedRequest.invalid(FIELD, "must be <leadId>:<decisionVersion> with the leadId a UUID");
            }
            String version = value.substring(colon + 1).trim();
            if (version.isEmpty() || version.length() > MAX_VERSION_DIGITS || !version.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Long.parseLong(version) < 1) {
                throw RejectedRequest.invalid(FIELD, "must be <leadId>:<decisionVersion> with the version a positive number");
            }
            return new ButtonValue(leadId, Long.parseLong(version));
        }

        private static boolean isUuid(String text) {
            try {
                return text.length() == 36 && UUID.fromString(text).toString().equals(text);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }
}
