package io.leadflow.notifier.templates;

import io.leadflow.avro.AlertButton;
import io.leadflow.avro.AlertKind;
import io.leadflow.avro.AlertLink;
import io.leadflow.avro.RepAlert;
import io.leadflow.notifier.TestAlerts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static io.leadflow.notifier.TestAlerts.field;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each template's {@code chat.postMessage} body matches its golden file under {@code src/test/resources/golden/}
 * and is valid Block Kit. Run with {@code -Dgolden.update=true} to rewrite the files after a deliberate change.
 */
class TemplatesTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
    private static final AlertLink CONTACT_SEARCH = new AlertLink("Find contact in HubSpot",
            "https://app.hubspot.com/contacts/12345/objects/0-1/views/all/list?query=jane.doe%40acme.io");

    private final Templates templates = new Templates();

    @Test
    void newLeadMatchesItsGoldenFile() {
        ObjectNode message = templates.message("U02QULW4MDZ", TestAlerts.newLead("0b5e2d9a-3c1f-5e8b-9a47-1d2c3b4a5f60"),
                Optional.of(CONTACT_SEARCH));

        assertMatchesGolden(message, "new-lead.json");
        BlockKitAssert.assertValidMessage(message);
    }

    @ParameterizedTest
    @EnumSource(value = AlertKind.class, names = {"TRIAL_KICKOFF", "TRIAL_CHECK_IN", "REVIEW_CALL_DUE", "TRIAL_EXPIRING", "TRIAL_EXPIRED"})
    void trialReminderMatchesItsGoldenFile(AlertKind kind) {
        ObjectNode message = templates.message("U02QULW4MDZ", spoken(TestAlerts.trial(kind, "reminder-" + kind.name().toLowerCase())),
                Optional.empty());

        assertMatchesGolden(message, kind.name().toLowerCase().replace('_', '-') + ".json");
        BlockKitAssert.assertValidMessage(message);
    }

    @Test
    void aTrialReminderShowsTheSummaryAndActionsItCarries() {
        RepAlert alert = TestAlerts.trial(AlertKind.REVIEW_CALL_DUE, "reminder-worded");
        alert.setSummary("Book the <review> call");
        alert.setActions(List.of("Say hello", "Agree what comes next"));

        ObjectNode message = templates.message("C1", alert, Optional.empty());

        JsonNode blocks = message.path("blocks");
        assertThat(blocks.get(1).path("text").path("text").asString("")).isEqualTo(":calendar: *Book the &lt;review&gt; call*");
        assertThat(blocks.get(3).path("text").path("text").asString("")).isEqualTo("*What to do*\n• Say hello\n• Agree what comes next");
        BlockKitAssert.assertValidMessage(message);
    }

    @ParameterizedTest
    @EnumSource(value = AlertKind.class, names = {"TRIAL_KICKOFF", "TRIAL_CHECK_IN", "REVIEW_CALL_DUE", "TRIAL_EXPIRING", "TRIAL_EXPIRED"})
    void aTrialReminderWrittenBeforeAlertsCarriedTheirWordsGetsANeutralLeadLineAndNoStepsOfItsOwn(AlertKind kind) {
        RepAlert alert = TestAlerts.trial(kind, "reminder-older");
        alert.setSummary(null);
        alert.setActions(List.of());

        ObjectNode message = templates.message("C1", alert, Optional.empty());

        assertThat(message.path("blocks").get(1).path("text").path("text").asString("")).endsWith(" *Evaluation reminder*");
        assertThat(message.toString()).doesNotContain("What to do");
        BlockKitAssert.assertValidMessage(message);
    }

    /** The alert with the summary and actions trial-tracker's handbook wording gives its kind. */
    private static RepAlert spoken(RepAlert alert) {
        switch (alert.getKind()) {
            case TRIAL_KICKOFF -> {
                alert.setSummary("Schedule the kick-off call");
                alert.setActions(List.of(
                        "Schedule the kick-off call to agree the plan for event ingestion (autocapture is preferable)",
                        "Agree the action and cohort setup", "Agree the required insights and dashboards",
                        "Agree the extra features: feature flags, experiments, apps",
                        "Pull in the team to help deploy and tune the self-hosted instance"));
            }
            case TRIAL_CHECK_IN -> {
                alert.setSummary("Check in with the customer");
                alert.setActions(List.of("Check in with the customer to make sure they are getting value out of the evaluation",
                        "Offer a call to help them, but only if they want or need it"));
            }
            case REVIEW_CALL_DUE -> {
                alert.setSummary("Time to book the review call");
                alert.setActions(List.of("Schedule a call with the decision makers to review the progress",
                        "Agree the commercial next steps"));
            }
            case TRIAL_EXPIRING -> {
                alert.setSummary("The evaluation ends soon");
                alert.setActions(List.of("Make sure the review call with the decision makers is booked",
                        "Agree the commercial next steps before the evaluation ends"));
            }
            case TRIAL_EXPIRED -> {
                alert.setSummary("The evaluation has ended");
                alert.setActions(List.of("Agree the commercial next steps with the decision makers",
                        "Close the trial as converted, lost or abandoned, or extend it if you agreed to"));
            }
            default -> throw new IllegalArgumentException("not a trial reminder: " + alert.getKind());
        }
        return alert;
    }

    @Test
    void newLeadShowsEveryFieldReasonFlagAndBothButtons() {
        ObjectNode message = templates.message("C1", TestAlerts.newLead("lead-1"), Optional.of(CONTACT_SEARCH));

        String json = message.toString();
        assertThat(json).contains("Plan interest", "Recommended plan", "Monthly active users", "Monthly events", "Region", "Source",
                "Demo at 2026-01-05 15:00 UTC", "Enterprise customers go to Simon", ":warning: Wants an MSA");
        JsonNode buttons = actions(message);
        assertThat(buttons.get(0).path("url").asString("")).isEqualTo(CONTACT_SEARCH.getUrl());
        assertThat(buttons.get(0).path("style").asString("")).isEqualTo("primary");
        assertThat(buttons.get(1).path("url").asString("")).isEqualTo("https://cal.com/booking/7Hq2xZ");
        assertThat(message.path("metadata").path("event_type").asString("")).isEqualTo("leadflow_alert");
        assertThat(message.path("metadata").path("event_payload").path("alertId").asString("")).isEqualTo("NEW_LEAD:lead-1");
    }

    @Test
    void buttonsBecomeAnActionsBlockOfTheirOwnAheadOfTheLinkButtons() {
        RepAlert alert = TestAlerts.newLeadWithButtons("lead-2", 3);

        ObjectNode message = templates.message("C1", alert, Optional.of(CONTACT_SEARCH));

        List<JsonNode> actionBlocks = new ArrayList<>();
        message.path("blocks").forEach(block -> {
            if ("actions".equals(block.path("type").asString(""))) {
                actionBlocks.add(block);
            }
        });
        assertThat(actionBlocks).hasSize(2);
        JsonNode decision = actionBlocks.get(0);
        assertThat(decision.path("block_id").asString("")).isEqualTo("leadflow_actions:NEW_LEAD:lead-2:v3");
        JsonNode accept = decision.path("elements").get(0);
        assertThat(accept.path("type").asString("")).isEqualTo("button");
        assertThat(accept.path("action_id").asString("")).isEqualTo("lead.accept");
        assertThat(accept.path("text").path("type").asString("")).isEqualTo("plain_text");
        assertThat(accept.path("text").path("text").asString("")).isEqualTo("Accept");
        assertThat(accept.path("value").asString("")).isEqualTo("lead-2:3");
        assertThat(accept.path("style").asString("")).isEqualTo("primary");
        assertThat(accept.has("url")).isFalse();
        JsonNode pass = decision.path("elements").get(1);
        assertThat(pass.path("action_id").asString("")).isEqualTo("lead.pass");
        assertThat(pass.path("value").asString("")).isEqualTo("lead-2:3");
        assertThat(pass.has("style")).as("default style").isFalse();
        assertThat(actionBlocks.get(1).path("elements").get(0).path("url").asString("")).isEqualTo(CONTACT_SEARCH.getUrl());
        BlockKitAssert.assertValidMessage(message);
    }

    @ParameterizedTest
    @EnumSource(value = AlertKind.class, names = {"NEW_LEAD", "TRIAL_KICKOFF", "SLA_REMINDER", "OTHER"})
    void everyTemplateRendersButtonsAndLeavesOutThoseSlackWouldRefuse(AlertKind kind) {
        RepAlert alert = TestAlerts.newLead("lead-3");
        alert.setKind(kind);
        alert.setButtons(List.of(
                new AlertButton("lead.accept", "Accept", "lead-3:1", "danger"),
                new AlertButton("lead.accept", "Accept again", "lead-3:1", null),
                new AlertButton("lead.big", "Too big", "v".repeat(2001), null),
                new AlertButton("", "No id", "lead-3:1", null),
                new AlertButton("x".repeat(256), "Long id", "lead-3:1", null),
                new AlertButton("lead.odd", "Odd <style>", "lead-3:1", "purple")));

        ObjectNode message = templates.message("C1", alert, Optional.empty());

        JsonNode elements = actions(message);
        assertThat(elements).hasSize(2);
        assertThat(elements.get(0).path("style").asString("")).isEqualTo("danger");
        assertThat(elements.get(1).path("action_id").asString("")).isEqualTo("lead.odd");
        assertThat(elements.get(1).path("text").path("text").asString("")).isEqualTo("Odd &lt;style&gt;");
        assertThat(elements.get(1).has("style")).isFalse();
        BlockKitAssert.assertValidMessage(message);
    }

    @Test
    void mrkdwnInjectionFromALeadArrivesEscaped() {
        RepAlert alert = TestAlerts.newLead("lead-evil");
        alert.setTitle("New lead: <!channel> & <https://evil.example|click> → Self-serve");
        alert.setFields(List.of(field("Company", "<!channel> Evil & Co"), field("Contact", "<https://evil.example|click here>"),
                field("Source", "<@U0ADMIN> <!here> <#C0GENERAL>")));
        alert.setReasons(List.of("Because <!everyone>"));
        alert.setFlags(List.of("<https://evil.example|Wants an MSA>"));
        alert.setActions(List.of("Call <tel:123|now>"));

        ObjectNode message = templates.message("C1", alert, Optional.empty());

        String json = message.toString();
        assertThat(json).doesNotContain("<!channel>", "<!here>", "<!everyone>", "<https://evil", "<@U0ADMIN>", "<#C0GENERAL>", "<tel:");
        assertThat(message.path("text").asString("")).isEqualTo("New lead: &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt; → Self-serve");
        assertThat(json).contains("&lt;!channel&gt; Evil &amp; Co", "&lt;https://evil.example|click here&gt;");
        BlockKitAssert.assertValidMessage(message);
    }

    @Test
    void oversizedContentStaysWithinBlockKitLimits() {
        RepAlert alert = TestAlerts.newLead("lead-huge");
        alert.setTitle("New lead: " + "A very long company name & more ".repeat(20));
        List<io.leadflow.avro.AlertField> fields = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            fields.add(field("Field " + i, "<" + "x".repeat(2500)));
        }
        alert.setFields(fields);
        alert.setReasons(Collections.nCopies(200, "A reason with <angle> brackets & ampersands that goes on for a while"));
        List<AlertLink> links = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            links.add(new AlertLink("Link " + i + " " + "label ".repeat(20), "https://example.com/" + i));
        }
        links.add(new AlertLink("Sneaky", "javascript:alert(1)"));
        alert.setLinks(links);

        ObjectNode message = templates.message("C1", alert, Optional.of(CONTACT_SEARCH));

        BlockKitAssert.assertValidMessage(message);
        assertThat(message.toString()).doesNotContain("javascript:");
    }

    @Test
    void digestMatchesItsGoldenFile() {
        Instant start = Instant.parse("2026-01-05T14:02:11Z");
        List<Templates.DigestItem> newestFirst = List.of(
                new Templates.DigestItem(TestAlerts.newLead("lead-3", "Globex", start.plusSeconds(40), "U02QULW4MDZ"),
                        Optional.of(new AlertLink("Open deal in HubSpot", "https://app.hubspot.com/contacts/12345/record/0-3/987"))),
                new Templates.DigestItem(TestAlerts.newLead("lead-2", "Initech", start.plusSeconds(20), "U02QULW4MDZ"),
                        Optional.of(CONTACT_SEARCH)),
                new Templates.DigestItem(TestAlerts.newLead("lead-1", "Acme Analytics", start, "U02QULW4MDZ"), Optional.empty()));

        List<Templates.DigestMessage> messages = templates.digest("U02QULW4MDZ", newestFirst, 12000);

        assertThat(messages).singleElement().satisfies(message -> {
            assertMatchesGolden(message.body(), "new-lead-digest.json");
            BlockKitAssert.assertValidMessage(message.body());
            assertThat(message.alerts()).extracting(RepAlert::getAlertId)
                    .containsExactly("NEW_LEAD:lead-3", "NEW_LEAD:lead-2", "NEW_LEAD:lead-1");
        });
    }

    @Test
    void digestLinesAreEscapedAndCarryOnlyWebLinks() {
        RepAlert evil = TestAlerts.newLead("lead-evil", "<!channel> Evil & Co", Instant.parse("2026-01-05T14:02:11Z"), "C1");
        evil.setFields(List.of(field("Company", "<!channel> Evil & Co"), field("Contact", "<https://evil.example|click here>"),
                field("Source", "<@U0ADMIN> <!here>")));
        evil.setLinks(List.of(new AlertLink("Demo | booking", "https://cal.com/booking/ab?x=1&y=2"),
                new AlertLink("Sneaky", "javascript:alert(1)")));
        RepAlert plain = TestAlerts.newLead("lead-plain", "Plain", Instant.parse("2026-01-05T14:01:11Z"), "C1");

        ObjectNode message = templates.digest("C1", List.of(new Templates.DigestItem(evil, Optional.empty()),
                new Templates.DigestItem(plain, Optional.empty())), 12000).get(0).body();

        String json = message.toString();
        assertThat(json).doesNotContain("<!channel>", "<!here>", "<https://evil", "<@U0ADMIN>", "javascript:");
        assertThat(json).contains("&lt;!channel&gt; Evil &amp; Co", "<https://cal.com/booking/ab?x=1&amp;y=2|Demo / booking>");
        BlockKitAssert.assertValidMessage(message);
    }

    @Test
    void aLargeDigestIsSplitIntoAsFewMessagesAsTheLimitsAllowTheNewestFirst() {
        Instant start = Instant.parse("2026-01-05T14:00:00Z");
        List<Templates.DigestItem> newestFirst = new ArrayList<>();
        int lineChars = 0;
        for (int i = 400; i >= 1; i--) {
            RepAlert alert = TestAlerts.newLead("lead-" + i, "Company " + "x".repeat(i % 60) + " " + i, start.plusSeconds(i), "C1");
            newestFirst.add(new Templates.DigestItem(alert, Optional.of(CONTACT_SEARCH)));
            lineChars += DigestTemplate.line(alert, Optional.of(CONTACT_SEARCH)).length() + 1;
        }
        int maxChars = 12000;

        List<Templates.DigestMessage> messages = templates.digest("C1", newestFirst, maxChars);

        assertThat(messages.stream().flatMap(m -> m.alerts().stream()).toList())
                .containsExactlyElementsOf(newestFirst.stream().map(Templates.DigestItem::alert).toList());
        for (int i = 0; i < messages.size(); i++) {
            ObjectNode body = messages.get(i).body();
            BlockKitAssert.assertValidMessage(body);
            assertThat(textChars(body)).as("text in message %d", i).isLessThanOrEqualTo(maxChars);
            assertThat(body.path("metadata").path("event_payload").path("alerts")).hasSize(messages.get(i).alerts().size());
            assertThat(body.path("blocks").get(0).path("text").path("text").asString(""))
                    .isEqualTo(messages.get(i).alerts().size() + " new leads (" + (i + 1) + " of " + messages.size() + ")");
        }
        // As few as the limits allow: the lines alone need ceil(lineChars / room) messages, and packing in order adds at
        // most one more for the lines that did not fit at the end of each message.
        int room = maxChars - DigestTemplate.OVERHEAD;
        assertThat(messages.size()).isBetween((lineChars + room - 1) / room, (lineChars + room - 1) / room + 1);
    }

    /** A lead with buttons gets its line and its own actions block; a mixed backlog stays within Slack's 50 blocks. */
    @Test
    void aDigestGivesEachLeadWithButtonsItsOwnButtonsAndStaysWithinTheBlockLimit() {
        Instant start = Instant.parse("2026-01-05T14:00:00Z");
        List<Templates.DigestItem> newestFirst = new ArrayList<>();
        for (int i = 60; i >= 1; i--) {
            RepAlert alert = i % 3 == 0
                    ? TestAlerts.newLead("plain-" + i, "Plain " + i, start.plusSeconds(i), "C1")
                    : TestAlerts.newLeadWithButtons("click-" + i, 1);
            alert.setLeadReceivedAt(start.plusSeconds(i));
            newestFirst.add(new Templates.DigestItem(alert, Optional.of(CONTACT_SEARCH)));
        }

        List<Templates.DigestMessage> messages = templates.digest("C1", newestFirst, 12000);

        assertThat(messages).hasSizeGreaterThan(1);
        assertThat(messages.stream().flatMap(m -> m.alerts().stream()).toList())
                .containsExactlyElementsOf(newestFirst.stream().map(Templates.DigestItem::alert).toList());
        for (Templates.DigestMessage message : messages) {
            ObjectNode body = message.body();
            BlockKitAssert.assertValidMessage(body);
            List<String> expected = message.alerts().stream().filter(a -> !a.getButtons().isEmpty())
                    .map(a -> "leadflow_actions:" + a.getAlertId()).toList();
            List<String> actions = new ArrayList<>();
            JsonNode blocks = body.path("blocks");
            for (int b = 0; b < blocks.size(); b++) {
                JsonNode block = blocks.get(b);
                if (block.path("type").asString("").equals("actions")) {
                    actions.add(block.path("block_id").asString(""));
                    assertThat(blocks.get(b - 1).path("type").asString("")).as("the lead's line above its buttons").isEqualTo("section");
                    assertThat(block.path("elements")).extracting(e -> e.path("action_id").asString(""))
                            .containsExactly("lead.accept", "lead.pass");
                }
            }
            assertThat(actions).containsExactlyElementsOf(expected);
        }
    }

    /** The answer to one lead of a digest changes that lead's buttons into a line, and nothing else; again, the same. */
    @Test
    void aDigestUpdateReplacesOnlyItsLeadsButtonsAndIsTheSameWhenRepeated() {
        Instant start = Instant.parse("2026-01-05T14:00:00Z");
        List<Templates.DigestItem> items = new ArrayList<>();
        for (int i = 3; i >= 1; i--) {
            RepAlert alert = TestAlerts.newLeadWithButtons("click-" + i, 1);
            alert.setLeadReceivedAt(start.plusSeconds(i));
            items.add(new Templates.DigestItem(alert, Optional.empty()));
        }
        ObjectNode posted = templates.digest("C1", items, 12000).get(0).body();
        RepAlert accepted = TestAlerts.accepted("click-2", 1, "NEW_LEAD:click-2");

        ObjectNode once = templates.digestUpdate("C1", "1.000100", posted, "NEW_LEAD:click-2", accepted).orElseThrow();
        ObjectNode twice = templates.digestUpdate("C1", "1.000100", once, "NEW_LEAD:click-2", accepted).orElseThrow();

        assertThat(once.path("ts").asString("")).isEqualTo("1.000100");
        assertThat(once.path("text")).isEqualTo(posted.path("text"));
        assertThat(once.has("metadata")).isFalse();
        assertThat(once.path("blocks").size()).isEqualTo(posted.path("blocks").size());
        for (int b = 0; b < posted.path("blocks").size(); b++) {
            JsonNode before = posted.path("blocks").get(b);
            JsonNode after = once.path("blocks").get(b);
            if (before.path("block_id").asString("").equals("leadflow_actions:NEW_LEAD:click-2")) {
                assertThat(after.path("type").asString("")).isEqualTo("context");
                assertThat(after.path("block_id").asString("")).isEqualTo("leadflow_state:NEW_LEAD:click-2");
                assertThat(after.toString()).contains("Accepted by Simon at 14:05 UTC");
            } else {
                assertThat(after).isEqualTo(before);
            }
        }
        assertThat(twice.path("blocks")).isEqualTo(once.path("blocks"));
        assertThat(templates.digestUpdate("C1", "1.000100", posted, "NEW_LEAD:unknown", accepted)).isEmpty();
        BlockKitAssert.assertValidMessage(once);
    }

    private static int textChars(JsonNode message) {
        int chars = message.path("text").asString("").length();
        for (JsonNode block : message.path("blocks")) {
            chars += block.path("text").path("text").asString("").length();
            for (JsonNode element : block.path("elements")) {
                chars += element.path("text").asString("").length();
            }
        }
        return chars;
    }

    @Test
    void escapingNeverCutsAnEntityInHalf() {
        String truncated = Mrkdwn.escape("a".repeat(8) + "<<<<", 12);

        assertThat(truncated).hasSizeLessThanOrEqualTo(12).endsWith("…").doesNotContain("&l…", "&lt…");
        assertThat(truncated).matches("a+(&lt;)*…");
    }

    private static JsonNode actions(JsonNode message) {
        for (JsonNode block : message.path("blocks")) {
            if ("actions".equals(block.path("type").asString(""))) {
                return block.path("elements");
            }
        }
        throw new AssertionError("no actions block in " + message);
    }

    private static void assertMatchesGolden(JsonNode actual, String name) {
        String pretty = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n";
        Path file = GOLDEN.resolve(name);
        try {
            if (Boolean.getBoolean("golden.update")) {
                Files.createDirectories(GOLDEN);
                Files.writeString(file, pretty, StandardCharsets.UTF_8);
            }
            assertThat(file).as("golden file (create it with -Dgolden.update=true)").exists();
            JsonNode expected = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            assertThat(JSON.readTree(pretty)).as("%s\nactual:\n%s", name, pretty).isEqualTo(expected);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
