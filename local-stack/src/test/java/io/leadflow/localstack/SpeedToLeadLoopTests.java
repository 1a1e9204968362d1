package io.leadflow.localstack;

import io.leadflow.avro.LeadRouted;
import io.leadflow.localstack.demo.SampleLeads;
import io.leadflow.localstack.system.LocalStackOptions;
import io.leadflow.localstack.system.Ports;
import io.leadflow.schemas.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The speed-to-lead loop through the whole stack, on a stack of its own whose rules give hands-on leads a short SLA
 * counted around the clock: a lead nobody accepts is reassigned to the other rep, who gets it in Slack with Accept
 * and Pass while the first owner's message says it moved; a lead its owner accepts with a signed click through the
 * Slack sandbox (as the console's click sends it) says who accepted it and stays with them past its SLA; leads that
 * arrive together share a digest in which each keeps its buttons and each answer changes only its own line. crm-sync does
 * not follow decision versions yet, so the HubSpot owner is not checked here: the new {@code LeadRouted} version and
 * the Slack messages are.
 */
class SpeedToLeadLoopTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Long enough for a lead's message to reach Slack and be clicked, short enough for a test. */
    private static final Duration REASSIGN_AFTER = Duration.ofSeconds(8);

    private static LocalStack stack;
    private static TopicReader topics;

    private final String run = UUID.randomUUID().toString().substring(0, 6);

    @BeforeAll
    static void startStackWithAShortSla() throws Exception {
        Path data = Files.createTempDirectory("leadflow-loop-tests");
        Path rules = data.resolve("rules.yml");
        Files.writeString(rules, rulesWithShortSla(), StandardCharsets.UTF_8);
        Map<String, String> env = new HashMap<>(RunningStack.SECRETS);
        env.put("LEADFLOW_ROUTING_RULES", rules.toString());
        stack = LocalStack.start(new LocalStackOptions(data, false, false, Duration.ofSeconds(4), Ports.random(), env));
        topics = new TopicReader(stack);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aLeadNobodyAcceptsInTimeGoesToTheOtherRepAndTheFirstOwnersMessageSaysSo() {
        // given a hands-on lead that goes to Simon
        String leadId = postLead(unique(SampleLeads.ENTERPRISE_EU));
        LeadRouted first = topics.awaitValues(Topics.LEADS_ROUTED, leadId, r -> true).get(0);
        assertThat(first.getDecisionVersion()).isEqualTo(1);
        assertThat(first.getOwner().getRepId()).isEqualTo("simon");
        JsonNode posted = await().atMost(Duration.ofSeconds(60))
                .until(() -> message("NEW_LEAD:" + leadId), m -> m != null);
        assertThat(posted.path("channel").asString()).isEqualTo("D00SIMON001");
        assertThat(posted.path("blocks").toString()).contains("lead.accept", "lead.pass", leadId + ":1");

        // when nobody clicks within the SLA, then routing decides again: version 2, owned by Cameron, saying why
        LeadRouted second = topics.awaitValues(Topics.LEADS_ROUTED, leadId, r -> r.getDecisionVersion() == 2).get(0);
        assertThat(second.getOwner().getRepId()).isEqualTo("cameron");
        assertThat(second.getPreviousOwner().getRepId()).isEqualTo("simon");
        assertThat(second.getChangeReason()).isNotBlank();
        // (a first decision predates decidedAt: it was decided when it was routed)
        Instant firstDecided = first.getDecidedAt() != null ? first.getDecidedAt() : first.getRoutedAt();
        assertThat(Duration.between(firstDecided, second.getDecidedAt())).isGreaterThanOrEqualTo(REASSIGN_AFTER);

        // and Cameron gets the lead in Slack with buttons for version 2
        JsonNode reassigned = await().atMost(Duration.ofSeconds(60))
                .until(() -> message("NEW_LEAD:" + leadId + ":v2"), m -> m != null);
        assertThat(reassigned.path("channel").asString()).isEqualTo("D00CAMERON1");
        assertThat(reassigned.path("blocks").toString()).contains("lead.accept", "lead.pass", leadId + ":2");

        // and Simon's message was changed in place: same message, no buttons left, says where the lead went
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode updated = message("NEW_LEAD:" + leadId);
            assertThat(updated.path("ts").asString()).isEqualTo(posted.path("ts").asString());
            assertThat(updated.path("text").asString()).startsWith("Reassigned to Cameron");
            assertThat(updated.path("blocks").toString()).doesNotContain("lead.accept");
        });
        assertThat(messagesOf(leadId)).as("one message per owner, none repeated").hasSize(2);
    }

    @Test
    void aLeadItsOwnerAcceptsWithASignedClickSaysWhoAcceptedItAndIsNotReassigned() throws Exception {
        // given a hands-on lead in Simon's Slack
        String leadId = postLead(unique(SampleLeads.ENTERPRISE_EU));
        JsonNode posted = await().atMost(Duration.ofSeconds(60))
                .until(() -> message("NEW_LEAD:" + leadId), m -> m != null);

        // when Simon clicks Accept: the sandbox sends Slack's signed block_actions request to lead-intake
        HttpResponse<String> clicked = Http.send("POST", stack.consoleUrl() + "/api/slack/click",
                JSON.createObjectNode().put("channel", posted.path("channel").asString()).put("ts", posted.path("ts").asString())
                        .put("actionId", "lead.accept").put("user", "").toString());
        assertThat(clicked.statusCode()).as(clicked.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(clicked.body());
        assertThat(answer.path("user").asString()).isEqualTo("U00SIMON001");
        assertThat(answer.path("status").asInt()).as("lead-intake took the signed click").isEqualTo(200);

        // then his message says he accepted it, in place, without buttons
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode updated = message("NEW_LEAD:" + leadId);
            assertThat(updated.path("ts").asString()).isEqualTo(posted.path("ts").asString());
            assertThat(updated.path("text").asString()).startsWith("Accepted by Simon at ").endsWith(" UTC");
            assertThat(updated.path("blocks").toString()).doesNotContain("lead.accept");
        });
        // and the lead stays his well past its SLA: no second decision, no message to anyone else
        await().during(REASSIGN_AFTER.plusSeconds(4)).atMost(REASSIGN_AFTER.plusSeconds(20))
                .until(() -> versions(leadId).equals(List.of(1)) && messagesOf(leadId).size() == 1);
    }

    @Test
    void leadsThatArriveTogetherShareADigestWhereEachKeepsItsButtonsAndEachAnswerChangesOnlyItsOwnLine() throws Exception {
        // given more hands-on leads for Simon at once than his DM takes messages: what waits goes out as one digest
        List<String> leadIds = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            leadIds.add(postLead(unique(SampleLeads.ENTERPRISE_EU)));
        }
        JsonNode digest = await().atMost(Duration.ofSeconds(60)).until(() -> digestListing(leadIds), m -> m != null);
        List<String> listed = leadIds.stream().filter(id -> digest.path("blocks").toString().contains("leadflow_actions:NEW_LEAD:" + id)).toList();
        assertThat(listed).as("each lead of the digest with its own buttons").hasSizeGreaterThanOrEqualTo(2);
        String accepted = listed.get(0);
        String ignored = listed.get(1);

        // when Simon clicks Accept on one of them: the button in that lead's block
        HttpResponse<String> clicked = Http.send("POST", stack.consoleUrl() + "/api/slack/click",
                JSON.createObjectNode().put("channel", digest.path("channel").asString()).put("ts", digest.path("ts").asString())
                        .put("blockId", "leadflow_actions:NEW_LEAD:" + accepted).put("actionId", "lead.accept").put("user", "").toString());
        assertThat(clicked.statusCode()).as(clicked.body()).isEqualTo(200);
        assertThat(JSON.readTree(clicked.body()).path("status").asInt()).isEqualTo(200);

        // then the lead nobody clicked moves to Cameron after its SLA: he gets it with buttons for version 2
        await().atMost(Duration.ofSeconds(60)).until(() -> listing("NEW_LEAD:" + ignored + ":v2"), m -> m != null
                && m.path("channel").asString("").equals("D00CAMERON1"));
        // and the digest, the same message, says so line by line: the accepted lead's buttons became who accepted it,
        // the moved lead's buttons where it went, every other lead of it unchanged
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode now = messageAt(digest.path("channel").asString(), digest.path("ts").asString());
            String blocks = now.path("blocks").toString();
            assertThat(blocks).doesNotContain("leadflow_actions:NEW_LEAD:" + accepted, "leadflow_actions:NEW_LEAD:" + ignored);
            assertThat(stateLine(now, accepted)).startsWith("Accepted by Simon at ");
            assertThat(stateLine(now, ignored)).startsWith("Reassigned to Cameron");
            assertThat(now.path("blocks").size()).isEqualTo(digest.path("blocks").size());
            assertThat(now.path("metadata").path("event_payload").path("alerts")).hasSize(digest.path("metadata").path("event_payload").path("alerts").size());
        });
        // and the accepted lead stays Simon's past its SLA: no version 2 of it reaches anyone
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(20)).until(() -> listing("NEW_LEAD:" + accepted + ":v2") == null);
    }

    /** The text of the line that replaced a lead's buttons in a digest. */
    private static String stateLine(JsonNode message, String leadId) {
        for (JsonNode block : message.path("blocks")) {
            if (block.path("block_id").asString("").equals("leadflow_state:NEW_LEAD:" + leadId)) {
                return block.path("elements").get(0).path("text").asString("");
            }
        }
        return "";
    }

    /** The Slack sandbox's message that lists an alert (its own message or a digest), as it is now; null when none does. */
    private static JsonNode listing(String alertId) {
        return StreamSupport.stream(stack.slack().messages(1000).spliterator(), false)
                .filter(m -> m.path("metadata").path("event_payload").toString().contains("\"" + alertId + "\""))
                .findFirst().orElse(null);
    }

    /** The message of Simon's DM that lists two or more of these leads, each with its buttons; null while there is none. */
    private static JsonNode digestListing(List<String> leadIds) {
        return StreamSupport.stream(stack.slack().messages(1000).spliterator(), false)
                .filter(m -> m.path("metadata").path("event_payload").path("alerts").size() > 1)
                .filter(m -> leadIds.stream().filter(id -> m.path("blocks").toString().contains("leadflow_actions:NEW_LEAD:" + id)).count() >= 2)
                .findFirst().orElse(null);
    }

    private static JsonNode messageAt(String channel, String ts) {
        return StreamSupport.stream(stack.slack().messages(1000).spliterator(), false)
                .filter(m -> channel.equals(m.path("channel").asString("")) && ts.equals(m.path("ts").asString("")))
                .findFirst().orElseThrow();
    }

    private String postLead(SampleLeads.Persona persona) {
        HttpResponse<String> response = stack.webhooks().website(SampleLeads.websiteForm("loop-" + UUID.randomUUID(), persona, Instant.now()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).path("leadId").asString();
    }

    private SampleLeads.Persona unique(SampleLeads.Persona persona) {
        String id = run + Integer.toHexString(UUID.randomUUID().hashCode()).substring(0, 4);
        return persona.at(persona.company() + " " + id, persona.emailDomain().replaceFirst("\\.", "-" + id + "."));
    }

    private static List<Integer> versions(String leadId) {
        return topics.readAll(Topics.LEADS_ROUTED).stream().filter(r -> leadId.equals(r.key()))
                .map(r -> r.value().getDecisionVersion()).toList();
    }

    /** The Slack sandbox's message posted for an alert id (as its metadata names it), as it is now. */
    private static JsonNode message(String alertId) {
        return StreamSupport.stream(stack.slack().messages(1000).spliterator(), false)
                .filter(m -> alertId.equals(m.path("metadata").path("event_payload").path("alertId").asString("")))
                .findFirst().orElse(null);
    }

    /** Every message posted for the lead's new-lead alerts, whatever their version. */
    private static List<JsonNode> messagesOf(String leadId) {
        return StreamSupport.stream(stack.slack().messages(1000).spliterator(), false)
                .filter(m -> m.path("metadata").path("event_payload").path("alertId").asString("").startsWith("NEW_LEAD:" + leadId))
                .toList();
    }

    /** The default rules, with hands-on leads to be accepted within a few seconds, around the clock. */
    private static String rulesWithShortSla() throws Exception {
        String defaults;
        try (InputStream in = SpeedToLeadLoopTests.class.getClassLoader().getResourceAsStream("rules/default-rules.yml")) {
            assertThat(in).as("routing-service's default rules").isNotNull();
            defaults = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int from = defaults.indexOf("\nsla:\n");
        int to = defaults.indexOf("\n# The handbook's next steps");
        assertThat(from).isPositive().isLessThan(to);
        return defaults.substring(0, from) + """

                sla:
                  - id: hands-on
                    when: { pipeline: HANDS_ON }
                    reassignAfter: %ds
                    maxReassignments: 1
                    workingHoursOnly: false
                  - id: default
                    reassignAfter: 2h
                    workingHoursOnly: false

                """.formatted(REASSIGN_AFTER.toSeconds()) + defaults.substring(to + 1);
    }
}
