package io.leadflow.crm.privacy;

import io.leadflow.avro.Contact;
import io.leadflow.avro.ErasureReport;
import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.ErasureStatus;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Pipeline;
import io.leadflow.crm.KafkaRecords;
import io.leadflow.crm.SpringTests;
import io.leadflow.crm.TestLeads;
import io.leadflow.platform.privacy.Subjects;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroDeserializer;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An erasure request on {@code privacy.erasures} erases the person from what crm-sync wrote into HubSpot (the sandbox) and
 * from {@code crm.synced}, reports on {@code privacy.erasure-reports}, outlasts a HubSpot outage, and a replayed lead of the
 * person is never synced again.
 */
class ErasureTests extends SpringTests {

    @Autowired
    KafkaTemplate<Object, Object> kafka;
    @Autowired
    MeterRegistry meters;

    final Subjects subjects = new Subjects(PRIVACY_KEY);
    String run;
    String email;

    @BeforeEach
    void freshPerson() {
        hubspot.resetFaults();
        run = UUID.randomUUID().toString().substring(0, 8);
        email = "ada.lovelace@analytical-" + run + ".example";
    }

    @AfterEach
    void healthy() {
        hubspot.resetFaults();
    }

    @Test
    void erasesTheContactAndWhatCrmSyncWroteOnItMakesADealNamedAfterThePersonNeutralAndForgetsTheLeads() throws Exception {
        // given two leads of Ada (one company named after her) and one of Grace, synced to HubSpot and crm.synced
        LeadRouted named = person(TestLeads.routed(run, 1, email, "analytical-" + run + ".example", Pipeline.HANDS_ON), "Lovelace Analytics");
        LeadRouted other = person(TestLeads.routed(run, 2, email, "engines-" + run + ".example", Pipeline.SELF_SERVE), "Engines Ltd");
        LeadRouted grace = TestLeads.routed(run, 3);
        String graceEmail = grace.getLead().getContact().getEmail();
        try (KafkaRecords synced = new KafkaRecords(Topics.CRM_SYNCED.name());
             KafkaRecords reports = new KafkaRecords(Topics.PRIVACY_ERASURE_REPORTS.name())) {
            syncAndWait(synced, named, other, grace);
            String namedDeal = hubspot.deal(named.getLeadId()).path("id").asString();
            String otherDeal = hubspot.deal(other.getLeadId()).path("id").asString();
            String graceDeal = hubspot.deal(grace.getLeadId()).path("id").asString();
            List<String> namedNotes = hubspot.engagementsOnDeal("notes", namedDeal).stream().map(note -> note.path("id").asString()).toList();
            assertThat(namedNotes).isNotEmpty();
            assertThat(hubspot.engagementsOnDeal("tasks", otherDeal)).isNotEmpty();
            String otherDealName = hubspot.deal(other.getLeadId()).path("properties").path("dealname").asString();
            int graceNotes = hubspot.engagementsOnDeal("notes", graceDeal).size();

            // when Ada asks to be erased
            String erasureId = erase(email, Instant.now());

            // then both systems report done, in counts only
            await().atMost(Duration.ofSeconds(30)).until(() -> latest(reports, erasureId, "hubspot").filter(r -> r.getStatus() == ErasureStatus.DONE).isPresent()
                    && latest(reports, erasureId, "crm-sync state").filter(r -> r.getStatus() == ErasureStatus.DONE).isPresent());
            ErasureReport hubSpotReport = latest(reports, erasureId, "hubspot").orElseThrow();
            assertThat(hubSpotReport.getDetail()).contains("contact deleted for good", "1 deal names made neutral").doesNotContain("ada", "lovelace");
            assertThat(latest(reports, erasureId, "crm-sync state").orElseThrow().getDetail()).isEqualTo("2 leads' crm.synced records deleted");
            // Ada's contact is gone for good; the notes and tasks crm-sync wrote for her leads are archived
            assertThat(hubspot.contactsWithEmail(email)).isZero();
            assertThat(hubspot.engagementsOnDeal("notes", namedDeal)).isEmpty();
            assertThat(hubspot.engagementsOnDeal("tasks", namedDeal)).isEmpty();
            assertThat(hubspot.engagementsOnDeal("notes", otherDeal)).isEmpty();
            assertThat(hubspot.engagementsOnDeal("tasks", otherDeal)).isEmpty();
            // and what the notes said is overwritten first: an archived record stays restorable, with its text, for 90 days
            assertThat(hubspot.inputs("/crm/v3/objects/notes/batch/update")).filteredOn(input -> namedNotes.contains(input.path("id").asString()))
                    .hasSameSizeAs(namedNotes).allSatisfy(input -> assertThat(input.path("properties").path("hs_note_body").asString())
                            .isEqualTo("Removed on request."));
            // the deals are the business's and stay; the one named after her is renamed neutrally
            assertThat(hubspot.deal(named.getLeadId()).path("properties").path("dealname").asString()).isEqualTo("Hands-on deal " + namedDeal);
            assertThat(hubspot.deal(other.getLeadId()).path("properties").path("dealname").asString()).isEqualTo(otherDealName);
            // Grace is untouched
            assertThat(hubspot.contactsWithEmail(graceEmail)).isEqualTo(1);
            assertThat(hubspot.engagementsOnDeal("notes", graceDeal)).hasSize(graceNotes);
            // and crm.synced no longer holds Ada's leads: each has a tombstone as its latest record, Grace's has none
            await().atMost(Duration.ofSeconds(10)).until(() -> lastIsTombstone(synced, named.getLeadId()) && lastIsTombstone(synced, other.getLeadId()));
            assertThat(lastIsTombstone(synced, grace.getLeadId())).isFalse();

            // when the same request is met again (a restart of the consumer group, a replay)
            hubspot.clearCalls();
            ErasureRequested again = ErasureRequested.newBuilder().setErasureId(erasureId).setSubject(subjects.of(email)).setEmail(email)
                    .setRequestedAt(hubSpotReport.getReportedAt()).build();
            kafka.send(Topics.PRIVACY_ERASURES.name(), again.getSubject(), again);
            kafka.flush();

            // then it is done again, having found nothing left
            await().atMost(Duration.ofSeconds(30)).until(() -> latest(reports, erasureId, "hubspot")
                    .filter(r -> r.getDetail().startsWith("no contact")).isPresent());
            assertThat(hubspot.requests("POST", "/crm/v3/objects/contacts/gdpr-delete")).isEmpty();
        }
    }

    @Test
    void anErasureWhileHubSpotIsDownReportsFailedThenDoneOnceHubSpotIsBack() throws Exception {
        // given Ada synced, then HubSpot answering 503 to everything
        LeadRouted lead = person(TestLeads.routed(run, 1, email, "analytical-" + run + ".example", Pipeline.SELF_SERVE), "Analytical");
        try (KafkaRecords synced = new KafkaRecords(Topics.CRM_SYNCED.name());
             KafkaRecords reports = new KafkaRecords(Topics.PRIVACY_ERASURE_REPORTS.name())) {
            syncAndWait(synced, lead);
            hubspot.faults().down(true);

            // when Ada asks to be erased
            String erasureId = erase(email, Instant.now());

            // then HubSpot's line says it failed and why, while crm-sync keeps trying
            await().atMost(Duration.ofSeconds(30)).until(() -> latest(reports, erasureId, "hubspot")
                    .filter(r -> r.getStatus() == ErasureStatus.FAILED).isPresent());
            ErasureReport failed = latest(reports, erasureId, "hubspot").orElseThrow();
            assertThat(failed.getDetail()).startsWith("HubSpot unavailable");
            assertThat(hubspot.contactsWithEmail(email)).isEqualTo(1);

            // when HubSpot is back
            hubspot.faults().down(false);

            // then the erasure completes
            await().atMost(Duration.ofSeconds(60)).until(() -> latest(reports, erasureId, "hubspot")
                    .filter(r -> r.getStatus() == ErasureStatus.DONE).isPresent());
            assertThat(latest(reports, erasureId, "hubspot").orElseThrow().getAttempts()).isGreaterThan(1);
            assertThat(latest(reports, erasureId, "crm-sync state").orElseThrow().getStatus()).isEqualTo(ErasureStatus.DONE);
            assertThat(hubspot.contactsWithEmail(email)).isZero();
        }
    }

    @Test
    void aReplayedLeadOfAnErasedPersonIsDroppedAndALeadAfterTheErasureIsANewLead() throws Exception {
        // given Ada synced, then erased
        LeadRouted lead = person(TestLeads.routed(run, 1, email, "analytical-" + run + ".example", Pipeline.SELF_SERVE), "Analytical");
        try (KafkaRecords synced = new KafkaRecords(Topics.CRM_SYNCED.name());
             KafkaRecords reports = new KafkaRecords(Topics.PRIVACY_ERASURE_REPORTS.name())) {
            syncAndWait(synced, lead);
            String contactBefore = hubspot.contactId(email);
            Instant requestedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            String erasureId = erase(email, requestedAt);
            await().atMost(Duration.ofSeconds(30)).until(() -> latest(reports, erasureId, "hubspot")
                    .filter(r -> r.getStatus() == ErasureStatus.DONE).isPresent());
            double skippedBefore = skipped();

            // when her old lead is replayed
            kafka.send(Topics.LEADS_ROUTED.name(), lead.getLeadId(), lead);
            kafka.flush();

            // then it is dropped: no contact comes back
            await().atMost(Duration.ofSeconds(30)).until(() -> skipped() > skippedBefore);
            assertThat(hubspot.contactsWithEmail(email)).isZero();

            // when she comes back after the erasure with a new lead
            LeadRouted back = TestLeads.receivedAt(person(TestLeads.routed(run, 2, email, "analytical-" + run + ".example",
                    Pipeline.SELF_SERVE), "Analytical"), requestedAt.plus(1, ChronoUnit.HOURS));
            kafka.send(Topics.LEADS_ROUTED.name(), back.getLeadId(), back);
            kafka.flush();

            // then she is a new lead, with a new contact (her company's open deal is the business's and takes the lead)
            await().atMost(Duration.ofSeconds(30)).until(() -> hubspot.contactsWithEmail(email) == 1);
            assertThat(hubspot.contactId(email)).isNotEqualTo(contactBefore);
        }
    }

    private double skipped() {
        return meters.find("leadflow.privacy.skipped").tag("record", "lead-routed").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** The lead as Ada Lovelace's, of a company of that name. */
    private static LeadRouted person(LeadRouted lead, String company) {
        Contact contact = Contact.newBuilder(lead.getLead().getContact()).setFirstName("Ada").setLastName("Lovelace").setCompanyName(company).build();
        return LeadRouted.newBuilder(lead).setLead(LeadReceived.newBuilder(lead.getLead()).setContact(contact).build()).build();
    }

    private void syncAndWait(KafkaRecords synced, LeadRouted... leads) {
        for (LeadRouted lead : leads) {
            kafka.send(Topics.LEADS_ROUTED.name(), lead.getLeadId(), lead);
        }
        kafka.flush();
        Set<String> ids = java.util.Arrays.stream(leads).map(LeadRouted::getLeadId).collect(java.util.stream.Collectors.toSet());
        await().atMost(Duration.ofSeconds(30)).until(() -> synced.keyedBy(ids).stream().map(ConsumerRecord::key).distinct().count() == ids.size());
    }

    private String erase(String address, Instant requestedAt) {
        String erasureId = UUID.randomUUID().toString();
        ErasureRequested request = ErasureRequested.newBuilder().setErasureId(erasureId).setSubject(subjects.of(address))
                .setEmail(address).setRequestedAt(requestedAt).build();
        kafka.send(Topics.PRIVACY_ERASURES.name(), request.getSubject(), request);
        kafka.flush();
        return erasureId;
    }

    private static boolean lastIsTombstone(KafkaRecords synced, String leadId) {
        List<ConsumerRecord<String, byte[]>> records = synced.keyedBy(Set.of(leadId));
        return !records.isEmpty() && records.get(records.size() - 1).value() == null;
    }

    private static Optional<ErasureReport> latest(KafkaRecords reports, String erasureId, String system) {
        List<ConsumerRecord<String, byte[]>> records = reports.keyedBy(Set.of(erasureId + ":" + system));
        return records.isEmpty() ? Optional.empty() : Optional.of(read(records.get(records.size() - 1)));
    }

    private static ErasureReport read(ConsumerRecord<String, byte[]> record) {
        try (AvroDeserializer<ErasureReport> deserializer = new AvroDeserializer<>()) {
            deserializer.configure(Map.of("schema.registry.url", "mock://crm-sync-tests", "specific.avro.reader", true), false);
            return deserializer.deserialize(record.topic(), record.value());
        }
    }
}
