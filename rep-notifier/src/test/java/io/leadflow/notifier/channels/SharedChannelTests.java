package io.leadflow.notifier.channels;

import io.leadflow.avro.Contact;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.LeadSource;
import io.leadflow.avro.Owner;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.Plan;
import io.leadflow.avro.SharedChannel;
import io.leadflow.avro.SharedChannelStatus;
import io.leadflow.notifier.RepNotifierApplication;
import io.leadflow.notifier.SandboxSlack;
import io.leadflow.schemas.Topics;
import io.leadflow.testing.KafkaBrokers;
import io.leadflow.testing.WithKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.utils.ContainerTestUtils;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hands-on lead gets its shared Slack Connect channel, on a real broker against the Slack sandbox: the notifier (its own
 * Spring context) reads {@code leads.routed}, calls Slack's conversations methods and records the outcome on
 * {@code slack.shared-channels}.
 */
@WithKafkaBroker
class SharedChannelTests {

    static final String OWNER = "U02QULW4MDZ";
    static final String TEAM_MEMBER = "U00CAMERON1";
    static final String REGISTRY = "mock://shared-channels-" + UUID.randomUUID();

    static SandboxSlack slack;
    static final List<ConfigurableApplicationContext> notifiers = new ArrayList<>();
    static ConfigurableApplicationContext notifier;

    @BeforeAll
    static void start() {
        slack = SandboxSlack.start();
        notifier = startNotifier();
    }

    @AfterAll
    static void stop() {
        notifiers.forEach(ConfigurableApplicationContext::close);
        slack.close();
    }

    @AfterEach
    void healSlack() {
        slack.faults().clear();
        slack.sandbox().slackConnect(true);
    }

    @Test
    void aHandsOnLeadGetsAChannelWithTheCustomerInvitedTheOwnerAndTeamInAndAWelcome() throws Exception {
        String company = "Acme Analytics " + suffix();
        LeadRouted selfServe = routed(company + " Small", Pipeline.SELF_SERVE);
        LeadRouted handsOn = routed(company, Pipeline.HANDS_ON);

        send(selfServe);
        send(handsOn);

        SharedChannel outcome = awaitOutcome(notifier, handsOn.getLeadId());
        String name = "ext-" + slug(company);
        assertThat(outcome.getStatus()).isEqualTo(SharedChannelStatus.OPEN);
        assertThat(outcome.getName()).isEqualTo(name);
        assertThat(outcome.getOwnerRepId()).isEqualTo("simon");
        JsonNode channel = channel(name).orElseThrow();
        assertThat(outcome.getChannelId()).isEqualTo(channel.path("id").asString());
        assertThat(channel.path("is_private").asBoolean(true)).isFalse();
        assertThat(channel.path("members")).extracting(JsonNode::asString).containsExactly("U0LEADFLOW", OWNER, TEAM_MEMBER);
        assertThat(channel.path("invites")).hasSize(1);
        assertThat(channel.path("invites").get(0).path("email").asString()).isEqualTo(handsOn.getLead().getContact().getEmail());
        assertThat(channel.path("invites").get(0).path("external_limited").asBoolean()).isTrue();
        List<JsonNode> welcome = slack.messages().stream().filter(m -> m.path("channel").asString().equals(outcome.getChannelId())).toList();
        assertThat(welcome).hasSize(1);
        assertThat(welcome.get(0).path("text").asString()).startsWith("Welcome, " + company + "!").contains("Simon");
        assertThat(welcome.get(0).path("blocks").toString()).contains("Agenda", "event ingestion", "Action and cohort setup");
        assertThat(outcome.toString()).as("no personal data on the topic").doesNotContain("@");
        assertThat(notifier.getBean(io.leadflow.notifier.dedupe.KafkaSentLedger.class).find(SharedChannelSetup.WELCOME_ID + handsOn.getLeadId()))
                .as("recorded with the lead, so an erasure of its person deletes it").hasValueSatisfying(marker -> {
                    assertThat(marker.getLeadId()).isEqualTo(handsOn.getLeadId());
                    assertThat(marker.getChannel()).isEqualTo(outcome.getChannelId());
                    assertThat(marker.getSlackTs()).isEqualTo(welcome.get(0).path("ts").asString());
                });
        assertThat(ledger(notifier).find(selfServe.getLeadId())).as("a self-serve lead gets no channel").isEmpty();
        assertThat(channel(name + "-small")).isEmpty();
    }

    @Test
    void aTakenNameGetsTheNextSuffixAndAnotherCompanyOfTheSameNameKeepsItsOwnChannel() throws Exception {
        String company = "Globex " + suffix();
        LeadRouted first = routed(company, slug(company) + ".io", "hank@" + slug(company) + ".io", Pipeline.HANDS_ON);
        LeadRouted second = routed(company, slug(company) + ".de", "hank@" + slug(company) + ".de", Pipeline.HANDS_ON);

        send(first);
        SharedChannel firstOutcome = awaitOutcome(notifier, first.getLeadId());
        send(second);
        SharedChannel secondOutcome = awaitOutcome(notifier, second.getLeadId());

        assertThat(firstOutcome.getName()).isEqualTo("ext-" + slug(company));
        assertThat(secondOutcome.getName()).isEqualTo("ext-" + slug(company) + "-2");
        assertThat(secondOutcome.getStatus()).isEqualTo(SharedChannelStatus.OPEN);
        assertThat(secondOutcome.getChannelId()).isNotEqualTo(firstOutcome.getChannelId());
        assertThat(createCalls(company)).extracting(c -> c.call().answer().path("error").asString(""))
                .containsExactly("", "name_taken", "");
    }

    @Test
    void aCompanysLaterLeadsJoinItsChannelThePersonInvitedOnceAColleagueToo() throws Exception {
        // given a person who filled the form (their company's first hands-on lead)
        String company = "Soylent " + suffix();
        String domain = slug(company) + ".example";
        LeadRouted form = routed(company, domain, "sol@" + domain, Pipeline.HANDS_ON);
        send(form);
        SharedChannel first = awaitOutcome(notifier, form.getLeadId());

        // when the same person books a demo (another lead), then a colleague writes in
        LeadRouted booking = routed(company, domain, "Sol@" + domain, Pipeline.HANDS_ON);
        send(booking);
        SharedChannel second = awaitOutcome(notifier, booking.getLeadId());
        LeadRouted colleague = routed(company, domain, "ida@" + domain, Pipeline.HANDS_ON);
        send(colleague);
        SharedChannel third = awaitOutcome(notifier, colleague.getLeadId());

        // then one channel for the company: the person invited once, the colleague invited, one welcome
        assertThat(List.of(second, third)).allSatisfy(outcome -> {
            assertThat(outcome.getStatus()).isEqualTo(SharedChannelStatus.OPEN);
            assertThat(outcome.getChannelId()).isEqualTo(first.getChannelId());
            assertThat(outcome.getName()).isEqualTo(first.getName());
        });
        JsonNode channel = channel("ext-" + slug(company)).orElseThrow();
        assertThat(channel.path("invites")).extracting(invite -> invite.path("email").asString()).containsExactly("sol@" + domain, "ida@" + domain);
        assertThat(createCalls(company)).hasSize(1);
        assertThat(slack.messages().stream().filter(m -> m.path("channel").asString().equals(first.getChannelId()))).hasSize(1);
    }

    @Test
    void aReplayOnARestartedNotifierNeverCreatesASecondChannel() throws Exception {
        String company = "Initech " + suffix();
        LeadRouted lead = routed(company, Pipeline.HANDS_ON);
        send(lead);
        awaitOutcome(notifier, lead.getLeadId());

        // another notifier starts (its own ledger read from the topic) and the decision is read again
        ConfigurableApplicationContext restarted = startNotifier();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> ledger(restarted).loaded());
            assertThat(ledger(restarted).find(lead.getLeadId())).map(SharedChannel::getStatus).contains(SharedChannelStatus.OPEN);
            org.apache.kafka.clients.producer.RecordMetadata replay = send(lead);
            await().atMost(Duration.ofSeconds(30)).until(() -> consumedBoth(restarted, replay));
        } finally {
            restarted.close();
            notifiers.remove(restarted);
        }

        assertThat(createCalls(company)).hasSize(1);
        assertThat(slack.calls("conversations.inviteShared").stream()
                .filter(c -> c.call().arguments().toString().contains(lead.getLead().getContact().getEmail()))).hasSize(1);
    }

    @Test
    void aChannelCreatedJustBeforeACrashIsContinuedNotDuplicated() throws Exception {
        String company = "Umbrella " + suffix();
        String name = "ext-" + slug(company);
        // the channel was created, then the notifier died before recording it
        String created = slack.sandbox().handle("POST", "conversations.create", "Bearer " + SandboxSlack.TOKEN,
                (tools.jackson.databind.node.ObjectNode) tools.jackson.databind.json.JsonMapper.builder().build()
                        .readTree("{\"name\":\"" + name + "\"}")).body().path("channel").path("id").asString();
        LeadRouted lead = routed(company, Pipeline.HANDS_ON);

        send(lead);

        SharedChannel outcome = awaitOutcome(notifier, lead.getLeadId());
        assertThat(outcome.getStatus()).isEqualTo(SharedChannelStatus.OPEN);
        assertThat(outcome.getChannelId()).isEqualTo(created);
        assertThat(outcome.getName()).isEqualTo(name);
        assertThat(channel(name + "-2")).isEmpty();
        assertThat(channel(name).orElseThrow().path("members")).extracting(JsonNode::asString).contains(OWNER, TEAM_MEMBER);
    }

    @Test
    void aTokenTypeSlackConnectRefusesMakesItManualAndTheOwnerIsToldWhy() throws Exception {
        slack.faults().on("conversations.inviteShared").answer("not_allowed_token_type");
        String company = "Soylent " + suffix();
        LeadRouted lead = routed(company, Pipeline.HANDS_ON);

        send(lead);

        SharedChannel outcome = awaitOutcome(notifier, lead.getLeadId());
        assertThat(outcome.getStatus()).isEqualTo(SharedChannelStatus.MANUAL);
        assertThat(outcome.getError()).isEqualTo("not_allowed_token_type");
        assertThat(outcome.getProblem()).contains("not_allowed_token_type", "conversations.connect:write");
        assertThat(outcome.getChannelId()).as("the channel was created before Slack refused the invitation")
                .isEqualTo(channel("ext-" + slug(company)).orElseThrow().path("id").asString());
        JsonNode told = ownerMessage(lead);
        assertThat(told.path("channel").asString()).isEqualTo("D" + OWNER.substring(1));
        assertThat(told.path("text").asString()).isEqualTo("Set up the shared Slack channel for " + company + " by hand");
        assertThat(told.path("blocks").toString()).contains("not_allowed_token_type");
    }

    @Test
    void aWorkspacePreferenceAgainstNewChannelsMakesItManualWithoutAChannel() throws Exception {
        slack.faults().on("conversations.create").answer("restricted_action");
        LeadRouted lead = routed("Vandelay " + suffix(), Pipeline.HANDS_ON);

        send(lead);

        SharedChannel outcome = awaitOutcome(notifier, lead.getLeadId());
        assertThat(outcome.getStatus()).isEqualTo(SharedChannelStatus.MANUAL);
        assertThat(outcome.getError()).isEqualTo("restricted_action");
        assertThat(outcome.getChannelId()).isNull();
        assertThat(outcome.getProblem()).contains("restricted_action on conversations.create", "admin");
        assertThat(ownerMessage(lead).path("blocks").toString()).contains("restricted_action");
    }

    @Test
    void aTokenWithoutTheChannelScopeMakesItManualNamingTheScopeToAdd() throws Exception {
        slack.faults().on("conversations.create").missingScope("channels:manage", "chat:write,im:write,users:read");
        LeadRouted lead = routed("Kramerica " + suffix(), Pipeline.HANDS_ON);

        send(lead);

        SharedChannel outcome = awaitOutcome(notifier, lead.getLeadId());
        assertThat(outcome.getStatus()).isEqualTo(SharedChannelStatus.MANUAL);
        assertThat(outcome.getError()).isEqualTo("missing_scope");
        assertThat(outcome.getChannelId()).isNull();
        assertThat(outcome.getProblem()).contains("channels:manage scope", "conversations.create answered missing_scope",
                "reinstall the app");
        assertThat(ownerMessage(lead).path("blocks").toString()).contains("channels:manage");
    }

    @Test
    void aFreeWorkspaceWithoutSlackConnectMakesItManual() throws Exception {
        slack.sandbox().slackConnect(false);
        LeadRouted lead = routed("Wonka " + suffix(), Pipeline.HANDS_ON);

        send(lead);

        SharedChannel outcome = awaitOutcome(notifier, lead.getLeadId());
        assertThat(outcome.getStatus()).isEqualTo(SharedChannelStatus.MANUAL);
        assertThat(outcome.getError()).isEqualTo("not_paid");
        assertThat(outcome.getProblem()).contains("free plan");
    }

    @Test
    void aRateLimitIsWaitedOutAndTheChannelStillCreated() throws Exception {
        String company = "Tyrell " + suffix();
        slack.faults().on("conversations.create").once().rateLimited(1);
        LeadRouted lead = routed(company, Pipeline.HANDS_ON);

        send(lead);

        SharedChannel outcome = awaitOutcome(notifier, lead.getLeadId());
        assertThat(outcome.getStatus()).isEqualTo(SharedChannelStatus.OPEN);
        List<SandboxSlack.Call> creates = createCalls(company);
        assertThat(creates).extracting(c -> c.call().status()).containsExactly(429, 200);
        assertThat(Duration.between(creates.get(0).at(), creates.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    // ------------------------------------------------------------------------------------------------------------

    /** Whether both notifiers' shared-channel consumers have handled this record and committed past it. */
    private static boolean consumedBoth(ConfigurableApplicationContext restarted, org.apache.kafka.clients.producer.RecordMetadata record)
            throws Exception {
        var partition = new org.apache.kafka.common.TopicPartition(record.topic(), record.partition());
        try (var admin = org.apache.kafka.clients.admin.Admin.create(java.util.Map.of("bootstrap.servers",
                KafkaBrokers.shared().bootstrapServers()))) {
            for (ConfigurableApplicationContext context : List.of(notifier, restarted)) {
                String group = context.getEnvironment().getProperty("spring.kafka.consumer.group-id") + "-shared-channels";
                var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS).get(partition);
                if (committed == null || committed.offset() <= record.offset()) {
                    return false;
                }
            }
        }
        return true;
    }

    private static JsonNode ownerMessage(LeadRouted lead) {
        String id = SharedChannelSetup.MANUAL_ID + lead.getLeadId();
        await().atMost(Duration.ofSeconds(20)).until(() -> slack.messagesWith(id).size() == 1);
        return slack.messagesWith(id).get(0);
    }

    private static List<SandboxSlack.Call> createCalls(String company) {
        return slack.calls("conversations.create").stream()
                .filter(c -> c.call().arguments().path("name").asString("").startsWith("ext-" + slug(company))).toList();
    }

    private static Optional<JsonNode> channel(String name) {
        List<JsonNode> found = new ArrayList<>();
        slack.sandbox().channels().forEach(c -> {
            if (c.path("name").asString().equals(name)) {
                found.add(c);
            }
        });
        return found.stream().findFirst();
    }

    private static String slug(String company) {
        return company.toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static SharedChannelLedger ledger(ConfigurableApplicationContext context) {
        return context.getBean(SharedChannelLedger.class);
    }

    private static SharedChannel awaitOutcome(ConfigurableApplicationContext context, String leadId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> ledger(context).find(leadId).isPresent());
        return ledger(context).find(leadId).orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static org.apache.kafka.clients.producer.RecordMetadata send(LeadRouted routed) throws Exception {
        var result = (org.springframework.kafka.support.SendResult<Object, Object>) notifier.getBean(KafkaTemplate.class)
                .send(Topics.LEADS_ROUTED.name(), routed.getLeadId(), routed).get(10, TimeUnit.SECONDS);
        return result.getRecordMetadata();
    }

    /** A lead of its own company (a domain of its own) and person. */
    static LeadRouted routed(String company, Pipeline pipeline) {
        String domain = slug(company) + ".example";
        return routed(company, domain, "ada+" + UUID.randomUUID().toString().substring(0, 8) + "@" + domain, pipeline);
    }

    static LeadRouted routed(String company, String domain, String email, Pipeline pipeline) {
        String leadId = UUID.randomUUID().toString();
        Instant now = Instant.now();
        LeadReceived lead = LeadReceived.newBuilder().setLeadId(leadId).setSource(LeadSource.WEBSITE_FORM).setSourceEventId("form-" + leadId)
                .setReceivedAt(now).setContact(Contact.newBuilder().setEmail(email)
                        .setCompanyName(company).setCompanyDomain(domain).build())
                .build();
        return LeadRouted.newBuilder().setLeadId(leadId).setRoutedAt(now).setLead(lead).setPipeline(pipeline)
                .setRecommendedPlan(Plan.ENTERPRISE)
                .setOwner(Owner.newBuilder().setRepId("simon").setName("Simon").setEmail("simon@example.com").setSlackUserId(OWNER).build())
                .setRulesVersion("test").build();
    }

    /** A notifier of its own, as a separate process would be. */
    private static ConfigurableApplicationContext startNotifier() {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(RepNotifierApplication.class)
                .web(WebApplicationType.NONE)
                .run(
                        "--spring.kafka.bootstrap-servers=" + KafkaBrokers.shared().bootstrapServers(),
                        "--spring.kafka.properties.schema.registry.url=" + REGISTRY,
                        "--spring.kafka.consumer.group-id=rep-notifier-channels-" + UUID.randomUUID(),
                        // start where the topics end: earlier tests' leads are not this test's business
                        "--spring.kafka.consumer.auto-offset-reset=latest",
                        "--spring.jmx.enabled=false",
                        "--leadflow.notifier.slack.base-url=" + slack.baseUrl(),
                        "--leadflow.notifier.slack.bot-token=" + SandboxSlack.TOKEN,
                        "--leadflow.notifier.shared-channels.team=" + TEAM_MEMBER,
                        "--leadflow.notifier.delivery.retry-initial=50ms",
                        // a person already invited to their company's channel is known by their subject (a keyed hash)
                        "--leadflow.privacy.key=shared-channel-tests-privacy-key-32-bytes-at-least");
        notifiers.add(context);
        KafkaListenerEndpointRegistry listeners = context.getBean(KafkaListenerEndpointRegistry.class);
        ContainerTestUtils.waitForAssignment(listeners.getListenerContainer("rep-notifier-shared-channels"),
                Topics.LEADS_ROUTED.partitions() + Topics.TRIALS_EVENTS.partitions());
        return context;
    }
}
