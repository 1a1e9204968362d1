package io.leadflow.notifier.templates;

import io.leadflow.avro.AlertButton;
import io.leadflow.avro.AlertField;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Builds Block Kit blocks within Slack's limits: every piece of text passed in is raw (it is escaped here) unless the
 * method says it takes mrkdwn we wrote ourselves.
 */
final class BlockKit {

    static final int MAX_BLOCKS = 50;
    static final int MAX_HEADER = 150;
    static final int MAX_SECTION_TEXT = 3000;
    static final int MAX_FIELDS = 10;
    static final int MAX_FIELD_TEXT = 2000;
    static final int MAX_BUTTONS = 25;
    static final int MAX_BUTTON_TEXT = 75;
    static final int MAX_URL = 3000;
    static final int MAX_ACTION_ID = 255;
    static final int MAX_BUTTON_VALUE = 2000;
    static final int MAX_BLOCK_ID = 255;
    /** Prefix of the {@code block_id} of an alert's interactive buttons, followed by the alert id. */
    static final String INTERACTIVE_BLOCK_PREFIX = "leadflow_actions:";
    static final int MAX_FALLBACK_TEXT = 3000;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter UTC_CLOCK = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter UTC_MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final ArrayNode blocks = NODES.arrayNode();

    ArrayNode blocks() {
        return blocks;
    }

    BlockKit header(String rawText) {
        ObjectNode header = block("header");
        header.set("text", plain(Mrkdwn.escape(rawText, MAX_HEADER)));
        return this;
    }

    /** A section whose text is mrkdwn we composed (parts from a lead must already be escaped). */
    BlockKit section(String mrkdwn) {
        if (mrkdwn != null && !mrkdwn.isBlank()) {
            block("section").set("text", mrkdwn(Mrkdwn.truncate(mrkdwn, MAX_SECTION_TEXT)));
        }
        return this;
    }

    /** Sections of labelled values, ten to a section; labels are ours, values are raw. */
    /** The alert's labelled values, in order, as section fields. */
    BlockKit fieldsOf(List<AlertField> alertFields) {
        return fields(alertFields.stream().map(f -> new String[] {f.getLabel(), f.getValue()}).toList());
    }

    BlockKit fields(List<String[]> labelledValues) {
        for (int start = 0; start < labelledValues.size(); start += MAX_FIELDS) {
            ArrayNode fields = NODES.arrayNode();
            for (String[] lv : labelledValues.subList(start, Math.min(labelledValues.size(), start + MAX_FIELDS))) {
                String label = "*" + Mrkdwn.escape(lv[0], 200) + "*\n";
                fields.add(mrkdwn(label + Mrkdwn.escape(lv[1], MAX_FIELD_TEXT - label.length())));
            }
            block("section").set("fields", fields);
        }
        return this;
    }

    /** A titled list ({@code *Title*} then one line per item behind {@code bullet}); items are raw. */
    BlockKit list(String title, String bullet, List<String> rawItems) {
        if (rawItems == null || rawItems.isEmpty()) {
            return this;
        }
        StringBuilder text = new StringBuilder("*").append(title).append('*');
        for (String item : rawItems) {
            if (item != null && !item.isBlank()) {
                text.append('\n').append(bullet).append(' ').append(Mrkdwn.escape(item.strip()));
            }
        }
        return section(text.toString());
    }

    /** Link buttons; links that are not http(s) are left out, as are buttons past Slack's 25. */
    BlockKit buttons(List<Button> buttons) {
        ArrayNode elements = NODES.arrayNode();
        int index = 0;
        for (Button button : buttons) {
            if (elements.size() == MAX_BUTTONS || !isWebLink(button.url()) || button.url().length() > MAX_URL) {
                continue;
            }
            ObjectNode element = elements.addObject()
                    .put("type", "button")
                    .put("action_id", button.actionId() != null ? button.actionId() : "link_" + index);
            element.set("text", plain(Mrkdwn.escape(button.label(), MAX_BUTTON_TEXT)));
            element.put("url", button.url());
            if (button.primary()) {
                element.put("style", "primary");
            }
            index++;
        }
        if (!elements.isEmpty()) {
            block("actions").set("elements", elements);
        }
        return this;
    }

    /**
     * The alert's interactive buttons (Accept, Pass...) as an {@code actions} block of its own, ahead of the link
     * buttons, so that its one {@code primary} button is the only one of its set. Each is a
     * <a href="https://docs.slack.dev/reference/block-kit/block-elements/button-element">button element</a>:
     * {@code text} (plain_text, at most 75 characters), {@code action_id} (at most 255, unique in the block),
     * {@code value} (at most 2000: what the click carries back) and {@code style} ({@code primary} or {@code danger},
     * else left out for the default); in an
     * <a href="https://docs.slack.dev/reference/block-kit/blocks/actions-block">actions block</a> of at most 25
     * elements, whose {@code block_id} names the alert (Slack asks for one unique to each message and each version of
     * it). A button that would break those limits is left out rather than have Slack refuse the whole message.
     */
    BlockKit interactive(String alertId, List<AlertButton> buttons) {
        if (buttons == null || buttons.isEmpty()) {
            return this;
        }
        ArrayNode elements = NODES.arrayNode();
        Set<String> actionIds = new HashSet<>();
        for (AlertButton button : buttons) {
            String actionId = button.getActionId() == null ? "" : button.getActionId().strip();
            String value = button.getValue() == null ? "" : button.getValue();
            if (elements.size() == MAX_BUTTONS || actionId.isEmpty() || actionId.length() > MAX_ACTION_ID
                    || value.length() > MAX_BUTTON_VALUE || button.getLabel() == null || button.getLabel().isBlank()
                    || !actionIds.add(actionId)) {
                continue;
            }
            ObjectNode element = elements.addObject().put("type", "button").put("action_id", actionId);
            element.set("text", plain(Mrkdwn.escape(button.getLabel(), MAX_BUTTON_TEXT)));
            if (!value.isEmpty()) {
                element.put("value", value);
            }
            String style = button.getStyle() == null ? "" : button.getStyle().strip();
            if (style.equals("primary") || style.equals("danger")) {
                element.put("style", style);
            }
        }
        if (!elements.isEmpty()) {
            block("actions").put("block_id", interactiveBlockId(alertId)).set("elements", elements);
        }
        return this;
    }

    static String interactiveBlockId(String alertId) {
        String id = INTERACTIVE_BLOCK_PREFIX + alertId;
        if (id.length() <= MAX_BLOCK_ID) {
            return id;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(alertId.getBytes(StandardCharsets.UTF_8));
            return INTERACTIVE_BLOCK_PREFIX + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Prefix of the {@code block_id} of the line that replaced an alert's buttons in a digest, followed by the alert id. */
    static final String STATE_BLOCK_PREFIX = "leadflow_state:";

    /** The {@code block_id} of the line that replaces an alert's buttons in a digest once it was answered. */
    static String stateBlockId(String alertId) {
        return STATE_BLOCK_PREFIX + interactiveBlockId(alertId).substring(INTERACTIVE_BLOCK_PREFIX.length());
    }

    /** A context block named {@code blockId} holding raw text (escaped here). */
    static ObjectNode namedContext(String blockId, String rawText) {
        ObjectNode block = NODES.objectNode().put("type", "context").put("block_id", blockId);
        block.putArray("elements").add(mrkdwn(Mrkdwn.escape(rawText, MAX_SECTION_TEXT)));
        return block;
    }

    /** A context line of mrkdwn we composed. */
    BlockKit context(String mrkdwn) {
        ArrayNode elements = NODES.arrayNode();
        elements.add(mrkdwn(Mrkdwn.truncate(mrkdwn, MAX_SECTION_TEXT)));
        block("context").set("elements", elements);
        return this;
    }

    BlockKit divider() {
        block("divider");
        return this;
    }

    /** A time every reader sees in their own time zone, with a UTC fallback. */
    static String localTime(Instant instant) {
        return "<!date^" + instant.getEpochSecond() + "^{date_short_pretty} at {time}|" + UTC_MINUTES.format(instant) + ">";
    }

    /** The time of day in the reader's time zone, with a UTC fallback: for one line among many. */
    static String localClock(Instant instant) {
        return "<!date^" + instant.getEpochSecond() + "^{time}|" + UTC_CLOCK.format(instant) + ">";
    }

    static boolean isWebLink(String url) {
        if (url == null || url.isBlank()) {
            return false;
        }
        try {
            URI uri = URI.create(url.trim());
            String scheme = uri.getScheme();
            return uri.getHost() != null && ("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private ObjectNode block(String type) {
        if (blocks.size() >= MAX_BLOCKS) {
            return NODES.objectNode(); // dropped: Slack refuses more than 50 blocks
        }
        return blocks.addObject().put("type", type);
    }

    private static ObjectNode plain(String text) {
        return NODES.objectNode().put("type", "plain_text").put("text", text).put("emoji", true);
    }

    private static ObjectNode mrkdwn(String text) {
        return NODES.objectNode().put("type", "mrkdwn").put("text", text);
    }

    /** A link button; {@code actionId} null numbers it. */
    record Button(String label, String url, boolean primary, String actionId) {
    }
}
