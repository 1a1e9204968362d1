package io.leadflow.crm.sync;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.leadflow.avro.LeadRouted;
import io.leadflow.crm.SpringTests;
import io.leadflow.crm.TestLeads;
import io.leadflow.crm.hubspot.HubSpotCrm;
import io.leadflow.crm.system.CrmProperties;
import io.leadflow.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Send mode (SMTP configured), against GreenMail, a real SMTP server in this JVM: the introduction email goes from the
 * owner to the lead once, through crm-sync's own listener code with a real broker under crm.synced, and is logged on
 * the contact. The listener is called directly with the records routing would have written, so no other crm-sync of
 * the test run (in draft mode) ever sees these leads.
 */
class IntroSendTests extends SpringTests {

    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

    @DynamicPropertySource
    static void mail(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> smtp.getSmtp().getPort());
        registry.add("spring.mail.properties.mail.smtp.starttls.enable", () -> "false");
        registry.add("spring.mail.properties.mail.smtp.starttls.required", () -> "false");
        registry.add("spring.kafka.consumer.group-id", () -> "crm-sync-intro-send-" + UUID.randomUUID());
    }

    private static final AtomicLong OFFSETS = new AtomicLong();

    @Autowired
    SyncListeners listeners;
    @Autowired
    IntroEmailSender sender;
    @Autowired
    HubSpotCrm crm;
    @Autowired
    CrmProperties properties;
    @Autowired
    Clock clock;
    @Autowired
    KafkaTemplate<Object, Object> kafka;
    @Autowired
    ConsumerFactory<Object, Object> consumers;
    @Autowired
    ReminderSync reminders;
    @Autowired
    ActivitySync activities;
    @Autowired
    DeadLetterPublishingRecoverer deadLetters;
    @Autowired
    MeterRegistry meters;

    String run;

    @BeforeEach
    void freshRun() throws Exception {
        run = UUID.randomUUID().toString().substring(0, 8);
        smtp.purgeEmailFromAllMailboxes();
        hubspot.resetFaults();
    }

    @Test
    void theIntroductionGoesFromTheOwnerToTheLeadOnceEvenWhenReplayedAndAfterARestart() throws Exception {
        LeadRouted lead = TestLeads.withIntro(TestLeads.routed(run, 0));
        String to = lead.getLead().getContact().getEmail();

        listeners.onLeadsRouted(List.of(record(lead)));
        listeners.onLeadsRouted(List.of(record(lead)));
        restarted().onLeadsRouted(List.of(record(lead)));

        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(1);
        MimeMessage email = received[0];
        assertThat(((InternetAddress) email.getFrom()[0]).getAddress()).isEqualTo("simon@leadflow.example");
        assertThat(((InternetAddress) email.getFrom()[0]).getPersonal()).isEqualTo("Simon");
        assertThat(email.getRecipients(Message.RecipientType.TO)).extracting(a -> ((InternetAddress) a).getAddress()).containsExactly(to);
        assertThat(email.getRecipients(Message.RecipientType.CC)).isNull();
        assertThat(email.getRecipients(Message.RecipientType.BCC)).isNull();
        assertThat(email.getSubject()).isEqualTo("Hi from Simon at Leadflow");
        assertThat(email.getContentType()).startsWith("text/plain");
        assertThat(GreenMailUtil.getBody(email)).contains("> We would like to <evaluate> PostHog & talk pricing.");
        assertThat(hubspot.sandbox().objectsWith("tasks", "leadflow_key", IntroDraft.key(lead.getLeadId())))
                .as("sent, so no draft").isEmpty();

        String contactId = hubspot.contactId(to);
        List<? extends JsonNode> logged = hubspot.sandbox().associated("contacts", contactId, "emails");
        assertThat(logged).hasSize(1);
        JsonNode props = logged.get(0).path("properties");
        assertThat(props.path("hs_email_direction").asString()).isEqualTo("EMAIL");
        assertThat(props.path("hs_email_status").asString()).isEqualTo("SENT");
        assertThat(props.path("hs_email_subject").asString()).isEqualTo("Hi from Simon at Leadflow");
        assertThat(props.path("hs_email_text").asString()).isEqualTo(lead.getIntroEmail().getBody());
        assertThat(props.path("hs_email_headers").asString()).contains("\"to\":[{\"email\":\"" + to + "\"}]")
                .contains("\"from\":{\"email\":\"simon@leadflow.example\"");
    }

    @Test
    void aLeadTheGateRefusesGetsNothingAndAFailedSendBecomesADraft() throws Exception {
        LeadRouted erased = TestLeads.withIntro(TestLeads.routed(run, 1));
        LeadRouted unreachable = TestLeads.withIntro(TestLeads.routed(run, 2));
        IntroEmailSender refusing = new IntroEmailSender(new org.springframework.mail.javamail.JavaMailSenderImpl(), crm, lead -> false, clock);
        org.springframework.mail.javamail.JavaMailSenderImpl nowhere = new org.springframework.mail.javamail.JavaMailSenderImpl();
        nowhere.setHost("127.0.0.1");
        nowhere.setPort(1);
        IntroEmailSender failing = new IntroEmailSender(nowhere, crm, IntroEmailGate.ALLOW_ALL, clock);

        listeners(refusing).onLeadsRouted(List.of(record(erased)));
        listeners(failing).onLeadsRouted(List.of(record(unreachable)));

        assertThat(smtp.getReceivedMessages()).isEmpty();
        assertThat(hubspot.sandbox().objectsWith("tasks", "leadflow_key", IntroDraft.key(erased.getLeadId()))).isEmpty();
        assertThat(hubspot.sandbox().objectsWith("tasks", "leadflow_key", IntroDraft.key(unreachable.getLeadId())))
                .singleElement().satisfies(task -> assertThat(task.path("properties").path("hs_task_type").asString()).isEqualTo("EMAIL"));
    }

    /** crm-sync started again: nothing in memory, what it synced read back from crm.synced. */
    private SyncListeners restarted() {
        return listeners(sender);
    }

    /** A send-mode crm-sync with the given sender and a fresh memory, read back from crm.synced. */
    private SyncListeners listeners(IntroEmailSender intros) {
        SyncLedger ledger = ledger();
        return new SyncListeners(new LeadSync(crm, properties, clock, ledger, l -> false), reminders, activities, ledger,
                io.leadflow.crm.privacy.ErasedPeople.none(meters), kafka, deadLetters, meters, intros, new SharedChannelSync(crm), clock);
    }

    private SyncLedger ledger() {
        return new SyncConfiguration().syncLedger(consumers);
    }

    /** The record as routing-service writes it: keyed by leadId, on the partition the key falls on. */
    private ConsumerRecord<String, LeadRouted> record(LeadRouted lead) {
        int partitions = kafka.partitionsFor(Topics.LEADS_ROUTED.name()).size();
        int partition = Utils.toPositive(Utils.murmur2(lead.getLeadId().getBytes(StandardCharsets.UTF_8))) % partitions;
        return new ConsumerRecord<>(Topics.LEADS_ROUTED.name(), partition, OFFSETS.incrementAndGet(), lead.getLeadId(), lead);
    }
}
