package io.leadflow.notifier.slack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The few Slack Web API methods the notifier needs, over HTTP with the bot token as a bearer token:
 * {@code chat.postMessage}, {@code chat.update} (to change a message it posted), {@code chat.postEphemeral} (a
 * message only one user sees), {@code conversations.history} (to find an alert by its message metadata) and
 * {@code conversations.open} (to find the DM conversation of a user id). Every answer is checked for
 * {@code "ok": true}; anything else becomes a {@link SlackApiException} with its class.
 */
public class SlackClient {

    /** The metadata {@code event_type} every alert message carries, so the notifier can find its own posts. */
    public static final String METADATA_EVENT_TYPE = "leadflow_alert";
    /** The key in the metadata {@code event_payload} holding the alert id (a digest's newest alert). */
    public static final String METADATA_ALERT_ID = "alertId";
    /** The key in a digest's {@code event_payload} holding every alert it lists, as {@code [{"alertId": ...}]}. */
    public static final String METADATA_ALERTS = "alerts";

    private static final Logger log = LoggerFactory.getLogger(SlackClient.class);
    private static final MediaType JSON_UTF8 = MediaType.parseMediaType("application/json; charset=utf-8");

    private final RestClient http;
    private final ObjectMapper json;

    /**
     * @param http a client whose base URL is the Web API base and which sends {@code Authorization: Bearer <token>}
     */
    public SlackClient(RestClient http, ObjectMapper json) {
        this.http = http;
        this.json = json;
    }

    /** A client for the Web API at {@code baseUrl} (e.g. {@code https://slack.com/api}) with the given bot token. */
    public static SlackClient create(RestClient.Builder builder, String baseUrl, String botToken, Duration connectTimeout,
                                     Duration readTimeout) {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .build());
        requests.setReadTimeout(readTimeout);
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        RestClient http = builder
                .baseUrl(base)
                .requestFactory(requests)
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + botToken)
                .build();
        return new SlackClient(http, JsonMapper.builder().build());
    }

    /** Posts a message ({@code channel}, {@code text}, {@code blocks}, {@code metadata}...) and returns where it landed. */
    public SlackPost postMessage(ObjectNode message) {
        JsonNode answer = call("chat.postMessage", () -> http.post().uri("/chat.postMessage")
                .contentType(JSON_UTF8).body(json.writeValueAsString(message)));
        return new SlackPost(answer.path("channel").asString(message.path("channel").asString("")), answer.path("ts").asString(""));
    }

    /**
     * Replaces a message's text and blocks with
     * <a href="https://docs.slack.dev/reference/methods/chat.update">chat.update</a>: {@code channel} (the
     * conversation id; a DM's {@code D...}, never a user id), {@code ts}, {@code text}, {@code blocks} (which replace
     * the old ones; metadata left out is kept). Slack answers {@code ok}, {@code channel}, {@code ts}; or
     * {@code message_not_found}, {@code cant_update_message}, {@code edit_window_closed}... Replaying it is harmless:
     * the message ends up the same.
     */
    public SlackPost update(ObjectNode message) {
        JsonNode answer = call("chat.update", () -> http.post().uri("/chat.update")
                .contentType(JSON_UTF8).body(json.writeValueAsString(message)));
        return new SlackPost(answer.path("channel").asString(message.path("channel").asString("")),
                answer.path("ts").asString(message.path("ts").asString("")));
    }

    /**
     * Deletes one of the bot's own messages with
     * <a href="https://docs.slack.dev/reference/methods/chat.delete/">chat.delete</a>: {@code channel} (the conversation
     * id) and {@code ts}. Slack answers {@code ok}, {@code channel}, {@code ts}; or {@code message_not_found} (unknown or
     * already deleted), {@code cant_delete_message} (a bot token deletes only the bot's own messages),
     * {@code channel_not_found}, {@code compliance_exports_prevent_deletion}..., thrown as {@link SlackApiException}.
     */
    public void delete(String channel, String ts) {
        ObjectNode body = json.createObjectNode().put("channel", channel).put("ts", ts);
        call("chat.delete", () -> http.post().uri("/chat.delete").contentType(JSON_UTF8).body(json.writeValueAsString(body)));
    }

    /**
     * Shows a message to one user in a conversation with
     * <a href="https://docs.slack.dev/reference/methods/chat.postEphemeral">chat.postEphemeral</a>: {@code channel},
     * {@code user} (who must be in it, else {@code user_not_in_channel}), {@code text}, {@code blocks}. Slack answers
     * {@code message_ts}; the message is in no history, so it cannot be looked up later.
     *
     * @return the ephemeral message's {@code message_ts}
     */
    public String postEphemeral(ObjectNode message) {
        JsonNode answer = call("chat.postEphemeral", () -> http.post().uri("/chat.postEphemeral")
                .contentType(JSON_UTF8).body(json.writeValueAsString(message)));
        return answer.path("message_ts").asString("");
    }

    /**
     * Looks for the message carrying {@code alertId} in its metadata, newest first, from {@code oldest} on.
     *
     * @return the message's {@code ts} when found
     */
    public Optional<String> findAlertMessage(String channel, String alertId, Instant oldest, int pageSize, int maxPages) {
        return Optional.ofNullable(findAlertMessages(channel, Set.of(alertId), oldest, pageSize, maxPages).get(alertId));
    }

    /**
     * Looks for the messages carrying any of {@code alertIds} in their metadata (as {@code event_payload.alertId}, or in
     * a digest's {@code event_payload.alerts[].alertId}), newest first, from {@code oldest} on, until every id is found
     * or {@code maxPages} pages of {@code conversations.history} were read.
     *
     * @return alert id → the {@code ts} of the message holding it, for the ids found
     */
    public Map<String, String> findAlertMessages(String channel, Set<String> alertIds, Instant oldest, int pageSize, int maxPages) {
        Map<String, String> found = new HashMap<>();
        String cursor = null;
        for (int page = 0; page < maxPages && found.size() < alertIds.size(); page++) {
            String currentCursor = cursor;
            JsonNode answer = call("conversations.history", () -> http.get().uri(uri -> {
                uri.path("/conversations.history")
                        .queryParam("channel", channel)
                        .queryParam("oldest", slackTimestamp(oldest))
                        .queryParam("inclusive", true)
                        .queryParam("limit", pageSize)
                        .queryParam("include_all_metadata", true);
                if (currentCursor != null) {
                    uri.queryParam("cursor", currentCursor);
                }
                return uri.build();
            }));
            for (JsonNode message : answer.path("messages")) {
                JsonNode metadata = message.path("metadata");
                if (!METADATA_EVENT_TYPE.equals(metadata.path("event_type").asString(null))) {
                    continue;
                }
                String ts = message.path("ts").asString("");
                JsonNode payload = metadata.path("event_payload");
                match(payload.path(METADATA_ALERT_ID).asString(null), ts, alertIds, found);
                for (JsonNode listed : payload.path(METADATA_ALERTS)) {
                    match(listed.path(METADATA_ALERT_ID).asString(null), ts, alertIds, found);
                }
            }
            cursor = answer.path("response_metadata").path("next_cursor").asString("");
            if (!answer.path("has_more").asBoolean(false) || cursor.isEmpty()) {
                break;
            }
        }
        return found;
    }

    /**
     * One message of a conversation, with its blocks and metadata, as
     * <a href="https://docs.slack.dev/reference/methods/conversations.history">conversations.history</a> gives a single
     * message: {@code latest} and {@code oldest} its {@code ts}, {@code inclusive}, {@code limit} 1.
     *
     * @return the message, or empty when the conversation has none at that {@code ts} (deleted, or never there)
     */
    public Optional<JsonNode> message(String channel, String ts) {
        JsonNode answer = call("conversations.history", () -> http.get().uri(uri -> uri.path("/conversations.history")
                .queryParam("channel", channel)
                .queryParam("latest", ts)
                .queryParam("oldest", ts)
                .queryParam("inclusive", true)
                .queryParam("limit", 1)
                .queryParam("include_all_metadata", true)
                .build()));
        for (JsonNode message : answer.path("messages")) {
            if (ts.equals(message.path("ts").asString(""))) {
                return Optional.of(message);
            }
        }
        return Optional.empty();
    }

    private static void match(String alertId, String ts, Set<String> wanted, Map<String, String> found) {
        if (alertId != null && wanted.contains(alertId)) {
            found.putIfAbsent(alertId, ts); // newest first: the first message seen is the latest post
        }
    }

    /** The id ({@code D...}) of the direct-message conversation between the bot and a user. */
    public String openDirectMessage(String userId) {
        ObjectNode body = json.createObjectNode().put("users", userId);
        JsonNode answer = call("conversations.open", () -> http.post().uri("/conversations.open")
                .contentType(JSON_UTF8).body(json.writeValueAsString(body)));
        return answer.path("channel").path("id").asString("");
    }

    /**
     * The bot's own user id, from <a href="https://docs.slack.dev/reference/methods/auth.test">auth.test</a>
     * ({@code user_id}).
     */
    public String botUserId() {
        JsonNode answer = call("auth.test", () -> http.post().uri("/auth.test").contentType(JSON_UTF8).body("{}"));
        return answer.path("user_id").asString("");
    }

    /**
     * Creates a public channel with
     * <a href="https://docs.slack.dev/reference/methods/conversations.create">conversations.create</a> (scope
     * {@code channels:manage}): names "may only contain lowercase letters, numbers, hyphens, and underscores, and must be
     * 80 characters or less". Errors {@code name_taken}, {@code invalid_name_*}, {@code restricted_action}...
     *
     * @return the new channel's id ({@code C...})
     */
    public String createChannel(String name) {
        ObjectNode body = json.createObjectNode().put("name", name).put("is_private", false);
        JsonNode answer = call("conversations.create", () -> http.post().uri("/conversations.create")
                .contentType(JSON_UTF8).body(json.writeValueAsString(body)));
        return answer.path("channel").path("id").asString("");
    }

    /** A public channel as {@code conversations.list} shows it: its id, name and who created it. */
    public record Channel(String id, String name, String creator) {
    }

    /**
     * Looks a public channel up by its exact name with
     * <a href="https://docs.slack.dev/reference/methods/conversations.list">conversations.list</a> ({@code types}
     * {@code public_channel}, archived ones left out, paged with {@code cursor}; scope {@code channels:read}), reading at
     * most {@code maxPages} pages.
     */
    public Optional<Channel> findChannel(String name, int pageSize, int maxPages) {
        String cursor = "";
        for (int page = 0; page < maxPages; page++) {
            String currentCursor = cursor;
            JsonNode answer = call("conversations.list", () -> http.get().uri(uri -> {
                uri.path("/conversations.list")
                        .queryParam("types", "public_channel")
                        .queryParam("exclude_archived", true)
                        .queryParam("limit", pageSize);
                if (!currentCursor.isEmpty()) {
                    uri.queryParam("cursor", currentCursor);
                }
                return uri.build();
            }));
            for (JsonNode channel : answer.path("channels")) {
                if (name.equals(channel.path("name").asString(""))) {
                    return Optional.of(new Channel(channel.path("id").asString(""), name, channel.path("creator").asString("")));
                }
            }
            cursor = answer.path("response_metadata").path("next_cursor").asString("");
            if (cursor.isEmpty()) {
                break;
            }
        }
        return Optional.empty();
    }

    /**
     * Invites one person from outside the workspace to a channel through Slack Connect with
     * <a href="https://docs.slack.dev/reference/methods/conversations.inviteShared">conversations.inviteShared</a>
     * (scope {@code conversations.connect:write}): {@code channel}, {@code emails} (one address: "only one email or one
     * user ID may be invited at a time"), {@code external_limited}. Errors {@code not_allowed_token_type},
     * {@code restricted_action}, {@code not_paid}, {@code missing_scope}, {@code invalid_email},
     * {@code connection_limit_exceeded_pending}...
     *
     * @return Slack's {@code invite_id}
     */
    public String inviteShared(String channel, String email, boolean externalLimited) {
        ObjectNode body = json.createObjectNode().put("channel", channel).put("external_limited", externalLimited);
        body.putArray("emails").add(email);
        JsonNode answer = call("conversations.inviteShared", () -> http.post().uri("/conversations.inviteShared")
                .contentType(JSON_UTF8).body(json.writeValueAsString(body)));
        return answer.path("invite_id").asString("");
    }

    /**
     * Adds workspace members to a channel with
     * <a href="https://docs.slack.dev/reference/methods/conversations.invite">conversations.invite</a> (scope
     * {@code channels:manage}): {@code users} comma-separated; {@code force} invites the valid ones even when some
     * cannot be. Errors {@code already_in_channel}, {@code cant_invite_self}, {@code user_not_found}...
     *
     * @return the per-user errors Slack listed when it invited the others ({@code force}), as {@code user: error}
     */
    public java.util.List<String> invite(String channel, java.util.List<String> userIds) {
        ObjectNode body = json.createObjectNode().put("channel", channel).put("users", String.join(",", userIds)).put("force", true);
        JsonNode answer = call("conversations.invite", () -> http.post().uri("/conversations.invite")
                .contentType(JSON_UTF8).body(json.writeValueAsString(body)));
        java.util.List<String> errors = new java.util.ArrayList<>();
        for (JsonNode error : answer.path("errors")) {
            errors.add(error.path("user").asString("") + ": " + error.path("error").asString(""));
        }
        return errors;
    }

    /** Slack's timestamp notation: seconds since the epoch with six decimals. */
    static String slackTimestamp(Instant instant) {
        Instant clamped = instant.isBefore(Instant.EPOCH) ? Instant.EPOCH : instant;
        return clamped.getEpochSecond() + "." + String.format("%06d", clamped.getNano() / 1000);
    }

    private JsonNode call(String method, java.util.function.Supplier<RestClient.RequestHeadersSpec<?>> request) {
        try {
            return request.get().exchange((req, res) -> answer(method, res.getStatusCode(), res.getHeaders(), res.getBody()), true);
        } catch (ResourceAccessException e) {
            // The request may have reached Slack before the connection broke.
            throw new SlackApiException(method, "io_error", SlackErrorClass.UNCERTAIN, null, e);
        }
    }

    private JsonNode answer(String method, HttpStatusCode status, HttpHeaders headers, InputStream body) throws IOException {
        String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
        if (status.value() == 429) {
            throw new SlackApiException(method, "ratelimited", SlackErrorClass.RATE_LIMITED, retryAfter(headers), null);
        }
        if (status.is5xxServerError()) {
            throw new SlackApiException(method, "http_" + status.value(), SlackErrorClass.UNCERTAIN, null, null);
        }
        if (!status.is2xxSuccessful()) {
            throw new SlackApiException(method, "http_" + status.value(), SlackErrorClass.PERMANENT, null, null);
        }
        JsonNode answer;
        try {
            answer = json.readTree(text);
        } catch (RuntimeException e) {
            throw new SlackApiException(method, "invalid_response", SlackErrorClass.UNCERTAIN, null, e);
        }
        if (!answer.path("ok").asBoolean(false)) {
            String error = answer.path("error").asString("unknown_error");
            SlackErrorClass errorClass = SlackErrorClass.of(error);
            Duration retryAfter = errorClass == SlackErrorClass.RATE_LIMITED ? retryAfter(headers) : null;
            SlackApiException refused = new SlackApiException(method, error, errorClass, retryAfter, null);
            // missing_scope names the scope the token lacks: https://docs.slack.dev/authentication/tokens
            throw refused.needing(answer.path("needed").asString(null));
        }
        if (answer.has("warning")) {
            log.debug("Slack {} warned: {}", method, answer.path("warning").asString(""));
        }
        return answer;
    }

    private static Duration retryAfter(HttpHeaders headers) {
        String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
        if (value != null) {
            try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
            } catch (NumberFormatException e) {
                log.warn("Slack sent an unreadable Retry-After '{}'; waiting one second", value);
            }
        }
        return Duration.ofSeconds(1);
    }
}
