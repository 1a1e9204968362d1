package io.leadflow.notifier.templates;

import tools.jackson.databind.JsonNode;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Slack's Block Kit rules a message must follow, or Slack answers {@code invalid_blocks}. */
final class BlockKitAssert {

    private static final Set<String> KNOWN_BLOCKS = Set.of("header", "section", "divider", "actions", "context", "image", "rich_text");

    private BlockKitAssert() {
    }

    static void assertValidMessage(JsonNode message) {
        assertThat(message.path("text").asString("")).as("top-level text fallback").isNotBlank();
        JsonNode blocks = message.path("blocks");
        assertThat(blocks.isArray()).as("blocks is an array").isTrue();
        assertThat(blocks.size()).as("block count").isBetween(1, 50);
        Set<String> blockIds = new HashSet<>();
        for (JsonNode block : blocks) {
            String type = block.path("type").asString("");
            assertThat(type).as("block type").isIn(KNOWN_BLOCKS);
            switch (type) {
                case "header" -> {
                    assertThat(block.path("text").path("type").asString("")).isEqualTo("plain_text");
                    assertThat(block.path("text").path("text").asString("")).isNotBlank().hasSizeLessThanOrEqualTo(150);
                }
                case "section" -> {
                    assertThat(block.has("text") || block.has("fields")).as("section has text or fields").isTrue();
                    if (block.has("text")) {
                        assertTextObject(block.path("text"), 3000);
                    }
                    if (block.has("fields")) {
                        assertThat(block.path("fields").size()).as("fields per section").isBetween(1, 10);
                        block.path("fields").forEach(field -> assertTextObject(field, 2000));
                    }
                }
                case "actions" -> {
                    assertThat(block.path("elements").size()).as("actions elements").isBetween(1, 25);
                    // "unique among all other action_ids in the containing block" (a digest repeats Accept once per lead)
                    Set<String> actionIds = new HashSet<>();
                    if (block.has("block_id")) {
                        assertThat(blockIds.add(block.path("block_id").asString(""))).as("unique block_id").isTrue();
                        assertThat(block.path("block_id").asString("")).isNotEmpty().hasSizeLessThanOrEqualTo(255);
                    }
                    for (JsonNode element : block.path("elements")) {
                        assertThat(element.path("type").asString("")).isEqualTo("button");
                        assertThat(element.path("text").path("type").asString("")).isEqualTo("plain_text");
                        assertThat(element.path("text").path("text").asString("")).isNotBlank().hasSizeLessThanOrEqualTo(75);
                        if (element.has("url")) {
                            assertThat(element.path("url").asString("")).startsWith("http").hasSizeLessThanOrEqualTo(3000);
                        } else {
                            assertThat(element.path("value").asString("")).as("an interactive button's value").isNotEmpty()
                                    .hasSizeLessThanOrEqualTo(2000);
                        }
                        if (element.has("style")) {
                            assertThat(element.path("style").asString("")).isIn("primary", "danger");
                        }
                        assertThat(element.path("action_id").asString("")).isNotEmpty().hasSizeLessThanOrEqualTo(255);
                        assertThat(actionIds.add(element.path("action_id").asString(""))).as("unique action_id").isTrue();
                    }
                }
                case "context" -> {
                    assertThat(block.path("elements").size()).as("context elements").isBetween(1, 10);
                    block.path("elements").forEach(element -> assertTextObject(element, 3000));
                }
                default -> {
                }
            }
        }
    }

    private static void assertTextObject(JsonNode text, int max) {
        assertThat(text.path("type").asString("")).isIn("mrkdwn", "plain_text");
        assertThat(text.path("text").asString("")).isNotEmpty().hasSizeLessThanOrEqualTo(max);
    }
}
