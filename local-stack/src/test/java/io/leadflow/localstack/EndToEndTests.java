package io.leadflow.localstack;

import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.LeadSource;
import io.leadflow.avro.Pipeline;
import io.leadflow.localstack.demo.SampleLeads;
import io.leadflow.localstack.demo.WebhookClient;
import io.leadflow.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Start here: the whole of Leadflow in one JVM (a real Kafka broker, the schema registry, every service,
 * the HubSpot and Slack sandboxes), fed real webhooks signed as each provider signs them. A lead from
 * each source must reach {@code leads.received} and {@code leads.routed}, appear in HubSpot exactly once
 * and reach its rep in Slack; a deal moved into evaluation in HubSpot must start a trial whose kick-off
 * reminder reaches the rep; a person erased on request must be gone from HubSpot, Slack, every service's state, every
 * topic, file and log line while another person stays; and every metric the dashboards and alerts use must be exported.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndTests {

    static final JsonMapper JSON = JsonMapper.builder().build();

    final LocalStack stack = RunningStack.get();
    final WebhookClient webhooks = stack.webhooks();
    final TopicReader topics = new TopicReader(stack);
    final String run = UUID.randomUUID().toString().substring(0, 6);

    @Test
    @Order(1)
    void aLeadFromEverySourceIsReceivedRoutedSyncedToHubSpotOnceAndAlertsItsRep() {
        // given four leads, one per source, from companies nobody owns yet
        SampleLeads.Persona website = unique(SampleLeads.ENTERPRISE_EU);
        SampleLeads.Persona calendly = unique(SampleLeads.SCALE_US_DEMO);
        SampleLeads.Persona calcom = unique(SampleLeads.GROUP_DEMO_EU);
        SampleLeads.Persona email = unique(SampleLeads.AIR_GAPPED);
        Instant demoAt = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);

        // when each is posted as its provider posts it
        Map<String, SampleLeads.Persona> leads = new LinkedHashMap<>();
        leads.put(accepted(webhooks.website(SampleLeads.websiteForm("e2e-" + UUID.randomUUID(), website, Instant.now()))), website);
        leads.put(accepted(webhooks.calendly(SampleLeads.calendlyBooking(UUID.randomUUID().toString(), calendly, demoAt))), calendly);
        leads.put(accepted(webhooks.calcom(SampleLeads.calcomBooking(UUID.randomUUID().toString(), calcom, demoAt))), calcom);
        leads.put(accepted(webhooks.mailgun(SampleLeads.mailgunEmail(UUID.randomUUID() + "@mail." + email.emailDomain(), email))), email);

        // then every lead is on leads.received and leads.routed, with its reasons
        Map<String, LeadRouted> routed = new LinkedHashMap<>();
        leads.forEach((leadId, persona) -> {
            LeadReceived received = topics.awaitValues(Topics.LEADS_RECEIVED, leadId, r -> true).get(0);
            assertThat(received.getContact().getEmail()).isEqualTo(persona.email());
            LeadRouted decision = topics.awaitValues(Topics.LEADS_ROUTED, leadId, r -> true).get(0);
            assertThat(decision.getReasons()).isNotEmpty();
            routed.put(leadId, decision);
        });
        assertThat(routed.values()).extracting(r -> r.getLead().getSource())
                .containsExactly(LeadSource.WEBSITE_FORM, LeadSource.DEMO_BOOKING, LeadSource.DEMO_BOOKING, LeadSource.EMAIL);
        LeadRouted enterprise = routed.values().iterator().next();
        assertThat(enterprise.getPipeline()).isEqualTo(Pipeline.HANDS_ON);
        assertThat(enterprise.getOwner().getRepId()).isEqualTo("simon");
        assertThat(routed.values()).filteredOn(r -> r.getLead().getGroupDemo()).extracting(r -> r.getOwner().getRepId())
                .containsExactly("cameron");

        // and HubSpot holds exactly one contact and one deal per lead
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> leads.forEach((leadId, persona) -> {
            assertThat(hubspot("contacts", "email", persona.email())).hasSize(1);
            assertThat(hubspot("deals", "leadflow_lead_id", leadId)).hasSize(1);
        }));
        // and the website lead's owner has its introduction email drafted as an EMAIL task; the booked demos get none
        List<String> leadIds = List.copyOf(leads.keySet());
        assertThat(routed.get(leadIds.get(0)).getIntroEmail().getTo()).isEqualTo(website.email());
        assertThat(routed.get(leadIds.get(1)).getIntroEmail()).isNull();
        assertThat(routed.get(leadIds.get(2)).getIntroEmail()).isNull();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(hubspot("tasks", "leadflow_key", "task:" + leadIds.get(0) + ":intro-email"))
                .singleElement().satisfies(task -> assertThat(task.path("properties").path("hs_task_type").asString()).isEqualTo("EMAIL")));
        assertThat(hubspot("tasks", "leadflow_key", "task:" + leadIds.get(1) + ":intro-email")).isEmpty();
        assertThat(hubspot("tasks", "leadflow_key", "task:" + leadIds.get(2) + ":intro-email")).isEmpty();
        // and crm-sync confirmed each lead on crm.synced with the deal's link (nothing dead-lettered)
        leads.keySet().forEach(leadId -> {
            CrmSynced synced = topics.awaitValues(Topics.CRM_SYNCED, leadId, r -> true).get(0);
            assertThat(synced.getDealId()).isEqualTo(hubspot("deals", "leadflow_lead_id", leadId).get(0).path("id").asString());
            assertThat(synced.getDealUrl()).contains("/deal/" + synced.getDealId());
        });

        // and the hands-on lead got its shared Slack Connect channel: the customer invited, the owner in, a welcome, the
        // channel id on its deal
        String handsOnLead = leadIds.get(0);
        io.leadflow.avro.SharedChannel channel = topics.awaitValues(Topics.SLACK_SHARED_CHANNELS, handsOnLead, r -> true).get(0);
        assertThat(channel.getStatus()).as(String.valueOf(channel.getProblem())).isEqualTo(io.leadflow.avro.SharedChannelStatus.OPEN);
        JsonNode created = StreamSupport.stream(stack.slack().channels().spliterator(), false)
                .filter(c -> c.path("id").asString().equals(channel.getChannelId())).findFirst().orElseThrow();
        assertThat(created.path("name").asString()).startsWith("ext-");
        assertThat(created.path("invites").get(0).path("email").asString()).isEqualTo(website.email());
        assertThat(created.path("members")).extracting(JsonNode::asString).contains(enterprise.getOwner().getSlackUserId());
        assertThat(slackMessages(alertId -> alertId.equals("shared-channel:" + handsOnLead))).singleElement()
                .satisfies(m -> assertThat(m.path("channel").asString()).isEqualTo(channel.getChannelId()));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(hubspot("deals", "leadflow_lead_id", handsOnLead).get(0)
                .path("properties").path("leadflow_slack_channel_id").asString()).isEqualTo(channel.getChannelId()));

        // and each rep got a Slack DM about their lead
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> routed.forEach((leadId, decision) ->
                assertThat(slackMessages(alertId -> alertId.equals("NEW_LEAD:" + leadId)))
                        .singleElement()
                        .satisfies(m -> assertThat(m.path("channel").asString())
                                .isEqualTo("D" + decision.getOwner().getSlackUserId().substring(1)))));
    }

    @Test
    @Order(2)
    void aDealMovedIntoEvaluationStartsATrialWhoseKickOffReachesTheRep() {
        // given a hands-on lead whose deal is in HubSpot
        SampleLeads.Persona persona = unique(SampleLeads.ENTERPRISE_EU);
        String leadId = accepted(webhooks.website(SampleLeads.websiteForm("e2e-trial-" + UUID.randomUUID(), persona, Instant.now())));

        // when the rep moves it into the evaluation stage (HubSpot then sends its signed deal-stage webhook to lead-intake)
        // then trial-tracker runs a trial for the deal, and its kick-off reminder reaches the rep in Slack
        assertThat(startTrial(leadId, persona)).isNotBlank();
    }

    @Test
    @Order(3)
    void anErasedPersonIsGoneFromEveryTopicFileAndLogWhileAnotherPersonStays() throws Exception {
        Path logFile = Files.createTempDirectory("leadflow-e2e-logs").resolve("stack.log");
        try (CapturedLogs logs = new CapturedLogs(logFile)) {
            erasure(logFile);
        }
    }

    private void erasure(Path logFile) throws Exception {
        // given a person who filled the form, booked a demo and wrote an email, whose deal went into evaluation; and
        // another person (names and words of their own, so a copy of one is never taken for the other)
        SampleLeads.Persona erased = person(SampleLeads.SCALE_US_DEMO);
        SampleLeads.Persona kept = person(SampleLeads.ENTERPRISE_EU);
        Instant demoAt = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        List<String> erasedLeads = List.of(
                accepted(webhooks.website(SampleLeads.websiteForm("e2e-erase-" + UUID.randomUUID(), erased, Instant.now()))),
                accepted(webhooks.calendly(SampleLeads.calendlyBooking(UUID.randomUUID().toString(), erased, demoAt))),
                accepted(webhooks.mailgun(SampleLeads.mailgunEmail(UUID.randomUUID() + "@mail." + erased.emailDomain(), erased))));
        String keptLead = accepted(webhooks.website(SampleLeads.websiteForm("e2e-keep-" + UUID.randomUUID(), kept, Instant.now())));
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(hubspot("contacts", "email", erased.email())).hasSize(1);
            assertThat(hubspot("contacts", "email", kept.email())).hasSize(1);
            assertThat(slackMessages(id -> id.equals("NEW_LEAD:" + erasedLeads.get(0)))).hasSize(1);
            assertThat(slackMessages(id -> id.equals("NEW_LEAD:" + keptLead))).hasSize(1);
        });
        String dealId = startTrial(erasedLeads.get(0), erased);
        // (their three hands-on leads share their company's one Slack Connect channel, where they are invited once)
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> erasedLeads.forEach(leadId ->
                assertThat(topics.awaitValues(Topics.SLACK_SHARED_CHANNELS, leadId, r -> true)).isNotEmpty()));
        assertThat(StreamSupport.stream(stack.slack().channels().spliterator(), false)
                .flatMap(channel -> StreamSupport.stream(channel.path("invites").spliterator(), false))
                .filter(invite -> invite.path("email").asString().equals(erased.email()))).hasSize(1);
        List<String> personal = List.of(erased.email(), erased.firstName(), erased.lastName(), erased.message());

        // when the person asks to be erased (twice: the same erasure)
        String body = "{\"email\": \"" + erased.email().toUpperCase() + "\", \"reason\": \"customer request\"}";
        HttpResponse<String> asked = Http.send("POST", stack.intakeUrl() + "/privacy/erasures", body,
                "Authorization", "Bearer " + stack.adminToken());
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
        String erasureId = JSON.readTree(asked.body()).path("erasureId").asString();
        HttpResponse<String> again = Http.send("POST", stack.intakeUrl() + "/privacy/erasures", body,
                "Authorization", "Bearer " + stack.adminToken());
        assertThat(JSON.readTree(again.body()).path("erasureId").asString()).isEqualTo(erasureId);

        // then the receipt says done for every system, and holds no personal data
        JsonNode receipt = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> receipt(erasureId),
                r -> "done".equals(r.path("status").asString()));
        assertThat(receipt.path("systems")).filteredOn(line -> !line.path("system").asString().equals("kafka event topics"))
                .extracting(line -> line.path("system").asString() + " " + line.path("status").asString())
                .containsExactlyInAnyOrder("lead-intake state done", "routing-service state done", "trial-tracker state done",
                        "hubspot done", "crm-sync state done", "slack done", "rep-notifier state done");
        assertThat(receipt.toString()).doesNotContainIgnoringCase(erased.email()).doesNotContain(erased.company());
        personal.forEach(value -> assertThat(receipt.toString()).doesNotContain(value));
        // and HubSpot no longer has the contact, Slack no longer the alerts or the kick-off reminder; the other person's stay
        assertThat(hubspot("contacts", "email", erased.email())).isEmpty();
        assertThat(slackMessages(id -> erasedLeads.stream().anyMatch(id::contains))).isEmpty();
        assertThat(StreamSupport.stream(stack.slack().messages(1000).spliterator(), false).map(JsonNode::toString)
                .filter(m -> m.contains(dealId) || personal.stream().anyMatch(m::contains))).isEmpty();
        assertThat(hubspot("contacts", "email", kept.email())).hasSize(1);
        assertThat(slackMessages(id -> id.equals("NEW_LEAD:" + keptLead))).hasSize(1);
        // and routing no longer answers for the person's decisions
        assertThat(Http.send("GET", stack.serviceUrl("routing-service") + "/routing/decisions/" + erasedLeads.get(0), null,
                "Authorization", "Bearer " + stack.adminToken()).statusCode()).isEqualTo(404);
        // and, the person's data keys deleted, the receipt says the copies on Kafka are unreadable, and no topic of the
        // stack (dead-letter twins, changelogs and the keys topic included), no file of its data directory (the broker's
        // log segments, the services' state directories, the sandboxes' state) and no line it logged holds the person's
        // email, name or message
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> StreamSupport.stream(
                receipt(erasureId).path("systems").spliterator(), false).anyMatch(line -> line.path("system").asString().equals("kafka event topics")
                        && line.path("status").asString().equals("done")));
        assertThat(readableCopies(personal)).isEmpty();
        // except the Slack Connect invitations to the person's address, which Slack keeps: no Web API method withdraws
        // an invitation sent (README, "Privacy — HubSpot and Slack"); the Slack sandbox keeps them as Slack does
        Path slackFile = stack.dataDir().resolve("sandbox").resolve("slack.json");
        assertThat(filesHolding(personal, stack.dataDir(), logFile)).allMatch(("sandbox" + java.io.File.separator + "slack.json: " + erased.email())::equals);
        String slackWithoutInvites = withoutInvitesTo(slackFile, erased.email());
        assertThat(personal).noneMatch(slackWithoutInvites::contains);
        // while the other person's lead is still there to read, in HubSpot's files and in their deal
        assertThat(filesHolding(List.of(kept.email()), stack.dataDir())).isNotEmpty();

        // and when the person writes again, theirs is a new lead: routed, in HubSpot and Slack once more
        String returned = accepted(webhooks.website(SampleLeads.websiteForm("e2e-again-" + UUID.randomUUID(), erased, Instant.now())));
        assertThat(returned).isNotIn(erasedLeads);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(hubspot("contacts", "email", erased.email())).hasSize(1);
            assertThat(slackMessages(id -> id.equals("NEW_LEAD:" + returned))).hasSize(1);
        });

        // and an erasure of an address nobody wrote from is done, each system saying it found nothing
        String nobody = "{\"email\": \"nobody-" + run + "@nowhere.example\"}";
        String unknownId = JSON.readTree(Http.send("POST", stack.intakeUrl() + "/privacy/erasures", nobody,
                "Authorization", "Bearer " + stack.adminToken()).body()).path("erasureId").asString();
        JsonNode nothing = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> receipt(unknownId),
                r -> "done".equals(r.path("status").asString()));
        assertThat(nothing.path("systems")).filteredOn(line -> line.path("system").asString().equals("hubspot"))
                .singleElement().satisfies(line -> assertThat(line.path("detail").asString()).startsWith("no contact"));
    }

    /**
     * Moves the lead's deal into the evaluation stage, as a rep would in HubSpot (which then sends its signed deal-stage
     * webhook to lead-intake), and checks that trial-tracker runs a trial for it whose kick-off reminder reaches Slack.
     */
    private String startTrial(String leadId, SampleLeads.Persona persona) {
        JsonNode deal = await().atMost(Duration.ofSeconds(60)).until(() -> hubspot("deals", "leadflow_lead_id", leadId), d -> d.size() == 1).get(0);
        String dealId = deal.path("id").asString();
        // trial-tracker learns the deal's owner and company from crm.synced, which crm-sync publishes after the deal is
        // written (a rep who moved the deal within that moment would get an unowned kick-off)
        topics.awaitValues(Topics.CRM_SYNCED, leadId, r -> true);
        String[] evaluation = stack.trialStage();
        HttpResponse<String> moved = Http.send("PATCH", stack.consoleUrl() + "/sandbox/hubspot/crm/v3/objects/deals/" + dealId,
                "{\"properties\":{\"pipeline\":\"" + evaluation[0] + "\",\"dealstage\":\"" + evaluation[1] + "\"}}",
                "Authorization", "Bearer pat-a-rep");
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> trials = Http.send("GET", stack.trialsUrl() + "/trials", null, "Authorization", "Bearer " + stack.adminToken());
            assertThat(trials.statusCode()).isEqualTo(200);
            assertThat(trials.body()).contains(dealId);
        });
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(slackMessages(alertId -> true))
                .anySatisfy(m -> {
                    assertThat(m.path("text").asString().toLowerCase()).contains("kick");
                    assertThat(m.toString()).contains(persona.company());
                }));
        return dealId;
    }

    private JsonNode receipt(String erasureId) {
        return JSON.readTree(Http.send("GET", stack.intakeUrl() + "/privacy/erasures/" + erasureId, null,
                "Authorization", "Bearer " + stack.adminToken()).body());
    }

    /** The Slack sandbox's saved state without the Slack Connect invitations sent to {@code email}. */
    static String withoutInvitesTo(Path slackFile, String email) throws java.io.IOException {
        JsonNode state = JSON.readTree(Files.readAllBytes(slackFile));
        for (JsonNode channel : state.path("createdChannels")) {
            if (channel.path("invites") instanceof tools.jackson.databind.node.ArrayNode invites) {
                for (int i = invites.size() - 1; i >= 0; i--) {
                    if (email.equals(invites.get(i).path("email").asString())) {
                        invites.remove(i);
                    }
                }
            }
        }
        return state.toString();
    }

    /** Each file under the roots whose raw bytes hold any of the values, with the value. */
    static List<String> filesHolding(List<String> values, Path... roots) throws java.io.IOException {
        List<byte[]> needles = values.stream().map(v -> v.getBytes(StandardCharsets.UTF_8)).toList();
        List<String> found = new ArrayList<>();
        for (Path root : roots) {
            List<Path> files;
            try (var walk = Files.walk(root)) {
                files = walk.filter(Files::isRegularFile).toList();
            }
            for (Path file : files) {
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(file);
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue; // a segment or RocksDB file deleted while the directory was walked
                }
                for (int i = 0; i < needles.size(); i++) {
                    if (indexOf(bytes, needles.get(i)) >= 0) {
                        found.add(root.relativize(file) + ": " + values.get(i));
                    }
                }
            }
        }
        return found;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Where any of {@code values} appears in a record of any topic of the stack's broker, read raw from the beginning. */
    List<String> readableCopies(List<String> values) {
        List<String> found = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (var topic : admin.describeTopics(admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get()).allTopicNames().get().values()) {
                topic.partitions().forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    for (byte[] bytes : new byte[][] {record.key(), record.value()}) {
                        String text = bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
                        values.stream().filter(text::contains)
                                .forEach(v -> found.add(record.topic() + "-" + record.partition() + "@" + record.offset() + ": " + v));
                    }
                }
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    /** Runs last: Micrometer binds a Kafka client's per-partition metrics on its periodic refresh (every minute). */
    @Test
    @Order(4)
    void everyServiceExportsEveryMetricTheDashboardsAndAlertsUse() throws Exception {
        // given traffic through every service, including a burst of leads for one rep that Slack's per-channel pace throttles
        List<String> leadIds = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            SampleLeads.Persona persona = unique(SampleLeads.ENTERPRISE_EU);
            leadIds.add(accepted(webhooks.website(SampleLeads.websiteForm("e2e-metrics-" + UUID.randomUUID(), persona, Instant.now()))));
        }
        await().atMost(Duration.ofSeconds(60)).until(() ->
                leadIds.stream().allMatch(leadId -> !slackMessages(id -> id.equals("NEW_LEAD:" + leadId)).isEmpty()));
        List<String> expected = Files.readAllLines(metricsFile()).stream().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).distinct().toList();

        // when every service's Prometheus endpoint is scraped (meters that register on first use get a moment to appear)
        // then each metric is exported by some service
        await().atMost(Duration.ofSeconds(75)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(missing(expected, scrapeAll())).as("metrics in ops/metrics.txt that no service exports").isEmpty());
    }

    String scrapeAll() {
        StringBuilder scraped = new StringBuilder();
        for (String service : stack.services().keySet()) {
            HttpResponse<String> response = Http.send("GET", stack.serviceUrl(service) + "/actuator/prometheus", null);
            assertThat(response.statusCode()).as(service + " /actuator/prometheus").isEqualTo(200);
            scraped.append(response.body()).append('\n');
        }
        return scraped.toString();
    }

    static List<String> missing(List<String> expected, String scraped) {
        List<String> missing = new ArrayList<>();
        for (String metric : expected) {
            if (scraped.lines().noneMatch(l -> l.startsWith(metric + "{") || l.startsWith(metric + " "))) {
                missing.add(metric);
            }
        }
        return missing;
    }

    // ---------------------------------------------------------------------------------------------

    /** The persona at a company of its own, so earlier runs' account ownership does not decide the owner. */
    SampleLeads.Persona unique(SampleLeads.Persona persona) {
        String id = run + Integer.toHexString(UUID.randomUUID().hashCode()).substring(0, 4);
        return persona.at(persona.company() + " " + id, persona.emailDomain().replaceFirst("\\.", "-" + id + "."));
    }

    /**
     * The persona at a company of its own, with a name and a message nobody else in the stack has: a copy of this
     * person's data found anywhere is theirs.
     */
    SampleLeads.Persona person(SampleLeads.Persona persona) {
        SampleLeads.Persona at = unique(persona);
        StringBuilder letters = new StringBuilder();
        UUID.randomUUID().toString().replace("-", "").chars().forEach(hex -> letters.append((char) ('a' + Character.digit(hex, 16))));
        String first = "Ilse" + letters.substring(0, 5);
        String last = "Nachtigall" + letters.substring(5, 10);
        return new SampleLeads.Persona(first, last, at.emailDomain(), at.company(), at.country(), at.title(), at.planInterest(),
                at.monthlyActiveUsers(), at.monthlyEvents(), at.needs(), at.yCombinator(), at.groupDemo(),
                "Our team calls the project " + letters.substring(0, 8) + " and we need SAML SSO for it.");
    }

    static String accepted(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).path("leadId").asString();
    }

    /** Live HubSpot sandbox records of a type whose property equals the value. */
    List<JsonNode> hubspot(String type, String property, String value) {
        return StreamSupport.stream(stack.hubspot().objects(type).spliterator(), false)
                .filter(o -> value.equalsIgnoreCase(o.path("properties").path(property).asString(""))).toList();
    }

    /**
     * Slack sandbox messages that carry a matching Leadflow alert id in their metadata: a message of its own
     * ({@code event_payload.alertId}) or one of the leads of a digest ({@code event_payload.alerts[].alertId}).
     */
    List<JsonNode> slackMessages(java.util.function.Predicate<String> alertId) {
        return StreamSupport.stream(stack.slack().messages(1000).spliterator(), false)
                .filter(m -> {
                    JsonNode payload = m.path("metadata").path("event_payload");
                    return alertId.test(payload.path("alertId").asString(""))
                            || StreamSupport.stream(payload.path("alerts").spliterator(), false)
                                    .anyMatch(a -> alertId.test(a.path("alertId").asString("")));
                }).toList();
    }

    static Path metricsFile() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("ops").resolve("metrics.txt");
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("ops/metrics.txt not found above " + here);
    }
}
