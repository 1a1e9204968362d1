package io.leadflow.notifier.templates;

import io.leadflow.avro.AlertKind;
import io.leadflow.avro.AlertLink;
import io.leadflow.avro.RepAlert;
import io.leadflow.notifier.slack.SlackClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Block Kit template per {@link AlertKind}. {@link #render} gives the message content: the {@code blocks} and
 * the top-level {@code text} Slack shows in notifications and where blocks cannot be displayed.
 */
public final class Templates {

    private final Map<AlertKind, AlertTemplate> byKind = new EnumMap<>(AlertKind.class);
    private final AlertTemplate fallback = new GenericTemplate();
    private final DigestTemplate digest = new DigestTemplate();

    public Templates() {
        byKind.put(AlertKind.NEW_LEAD, new NewLeadTemplate());
        // trial reminders carry their words (title, summary, actions); only the emoji is the notifier's
        byKind.put(AlertKind.TRIAL_KICKOFF, new TrialTemplate(":rocket:"));
        byKind.put(AlertKind.TRIAL_CHECK_IN, new TrialTemplate(":wave:"));
        byKind.put(AlertKind.REVIEW_CALL_DUE, new TrialTemplate(":calendar:"));
        byKind.put(AlertKind.TRIAL_EXPIRING, new TrialTemplate(":hourglass_flowing_sand:"));
        byKind.put(AlertKind.TRIAL_EXPIRED, new TrialTemplate(":checkered_flag:"));
        byKind.put(AlertKind.OTHER, fallback);
    }

    /** {@code {"text": ..., "blocks": [...]}} for the alert. */
    public ObjectNode render(RepAlert alert, Optional<AlertLink> hubspot) {
        ArrayNode blocks = byKind.getOrDefault(alert.getKind(), fallback).blocks(alert, hubspot);
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put("text", Mrkdwn.escape(alert.getTitle(), BlockKit.MAX_FALLBACK_TEXT));
        message.set("blocks", blocks);
        return message;
    }

    /**
     * The whole {@code chat.postMessage} body: channel, fallback text, blocks, and the metadata
     * ({@code event_type: leadflow_alert}, {@code event_payload.alertId}) by which the notifier finds its own message
     * in the channel's history after a crash. Link unfurling is off so a lead's URL never expands into the alert.
     */
    public ObjectNode message(String channel, RepAlert alert, Optional<AlertLink> hubspot) {
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put("channel", channel);
        message.setAll(render(alert, hubspot));
        ObjectNode metadata = message.putObject("metadata").put("event_type", SlackClient.METADATA_EVENT_TYPE);
        metadata.putObject("event_payload")
                .put(SlackClient.METADATA_ALERT_ID, alert.getAlertId())
                .put("kind", alert.getKind().name());
        message.put("unfurl_links", false).put("unfurl_media", false);
        return message;
    }

    /**
     * The {@code chat.update} body replacing the message {@code ts} in {@code channel} with this alert: its text and
     * blocks (an empty list of blocks clears the old ones, buttons included). Metadata is left out so that the message
     * keeps the alert id it was posted with, by which later updates find it again.
     */
    public ObjectNode update(String channel, String ts, RepAlert alert, Optional<AlertLink> hubspot) {
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put("channel", channel);
        message.put("ts", ts);
        message.setAll(render(alert, hubspot));
        return message;
    }

    /**
     * The {@code chat.update} body that changes one lead of a digest message ({@code message}, as
     * {@code conversations.history} gives it): every block as it is, except that lead's buttons (or the line an earlier
     * update put in their place) become {@code update}'s title as a context line, so the other leads keep their
     * buttons. Text and metadata stay. Empty when the message shows no buttons or line of {@code updatedAlertId}.
     */
    public Optional<ObjectNode> digestUpdate(String channel, String ts, JsonNode message, String updatedAlertId, RepAlert update) {
        String buttons = BlockKit.interactiveBlockId(updatedAlertId);
        String state = BlockKit.stateBlockId(updatedAlertId);
        ArrayNode blocks = JsonNodeFactory.instance.arrayNode();
        boolean changed = false;
        for (JsonNode block : message.path("blocks")) {
            String id = block.path("block_id").asString("");
            if (id.equals(buttons) || id.equals(state)) {
                blocks.add(BlockKit.namedContext(state, update.getTitle()));
                changed = true;
            } else {
                blocks.add(block.deepCopy());
            }
        }
        if (!changed) {
            return Optional.empty();
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("channel", channel);
        body.put("ts", ts);
        body.put("text", message.path("text").asString(""));
        body.set("blocks", blocks);
        return Optional.of(body);
    }

    /** The {@code chat.postEphemeral} body showing this alert to {@code user} alone in {@code channel}. */
    public ObjectNode ephemeral(String channel, String user, RepAlert alert, Optional<AlertLink> hubspot) {
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put("channel", channel);
        message.put("user", user);
        message.setAll(render(alert, hubspot));
        return message;
    }

    /** One alert of a digest, with the HubSpot link the notifier knows for it. */
    public record DigestItem(RepAlert alert, Optional<AlertLink> hubspot) {
    }

    /** One message of a digest: the alerts it lists, newest first, and its whole {@code chat.postMessage} body. */
    public record DigestMessage(List<RepAlert> alerts, ObjectNode body) {
    }

    /**
     * New leads for one channel as digest messages, one line per lead in the order given (newest first), split into as
     * few messages as Slack's limits allow with at most {@code maxChars} characters of text in each; the first message
     * holds the newest leads. Each message's metadata names every alert it lists.
     */
    public List<DigestMessage> digest(String channel, List<DigestItem> newestFirst, int maxChars) {
        if (newestFirst.isEmpty()) {
            throw new IllegalArgumentException("A digest needs at least one alert");
        }
        return digest.render(channel, newestFirst, maxChars);
    }

    /** The HubSpot button first (unless the alert already links to the same place), then the alert's own links. */
    static List<BlockKit.Button> buttons(RepAlert alert, Optional<AlertLink> hubspot) {
        List<BlockKit.Button> buttons = new ArrayList<>();
        hubspot.filter(link -> alert.getLinks().stream().noneMatch(own -> own.getUrl().equals(link.getUrl())))
                .ifPresent(link -> buttons.add(new BlockKit.Button(link.getLabel(), link.getUrl(), true, "open_hubspot")));
        for (AlertLink link : alert.getLinks()) {
            buttons.add(new BlockKit.Button(link.getLabel(), link.getUrl(), false, null));
        }
        return buttons;
    }
}
