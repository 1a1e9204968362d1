package io.leadflow.crm;

import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.LeadRouted;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroDeserializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Read this first: routed leads go in on {@code leads.routed} (a real broker), HubSpot (the fake, enforcing a rolling
 * rate limit) gets batched calls, and one {@code crm.synced} per lead comes out with the HubSpot ids and deal link.
 */
class CrmSyncEndToEndTests extends SpringTests {

    @Autowired
    KafkaTemplate<Object, Object> kafka;

    @AfterEach
    void unlimited() {
        hubspot.resetFaults();
    }

    @Test
    void burstOfThousandRoutedLeadsIsSyncedUnderTheRateLimitWithoutDuplicates() throws Exception {
        // given HubSpot enforcing 20 requests per rolling second (HubSpot's 100 per 10 s, with the window shrunk)
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<LeadRouted> leads = IntStream.range(0, 1000).mapToObj(i -> TestLeads.routed(run, i % 400 == 7 ? 7 : i)).toList();
        Set<String> leadIds = leads.stream().map(LeadRouted::getLeadId).collect(Collectors.toSet());
        hubspot.sandbox().rateLimit(20, Duration.ofSeconds(1));
        hubspot.clearCalls();

        try (KafkaRecords synced = new KafkaRecords(Topics.CRM_SYNCED.name())) {
            // when routing-service writes a burst of 1,000 routed leads (three of them the same lead again)
            for (LeadRouted lead : leads) {
                kafka.send(Topics.LEADS_ROUTED.name(), lead.getLeadId(), lead);
            }
            kafka.flush();

            // then every lead is synced and announced on crm.synced
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> synced.keyedBy(leadIds).stream().map(ConsumerRecord::key).distinct().count() == leadIds.size());
            CrmSynced first = read(synced.keyedBy(Set.of(leads.get(0).getLeadId())).get(0));
            assertThat(first.getDealUrl()).isEqualTo("https://app.hubspot.com/contacts/4242/deal/" + first.getDealId());
            assertThat(first.getContactId()).isNotNull();
            assertThat(first.getCompanyId()).isNotNull();
        }

        // and no 429 was ever served, and HubSpot holds exactly one deal per lead
        assertThat(hubspot.answered429()).isZero();
        assertThat(hubspot.dealsFor(leadIds)).isEqualTo(leadIds.size());
        for (int i : List.of(0, 7, 999)) {
            assertThat(hubspot.companiesWithDomain("co" + i + "-" + run + ".example")).isEqualTo(1);
        }
        int calls = hubspot.calls().size();
        double perLead = (double) calls / leads.size();
        System.out.printf("crm-sync burst: %d routed leads, %d HubSpot calls, %.3f calls per lead%n", leads.size(), calls, perLead);
        assertThat(perLead).isLessThan(0.5);
    }

    @SuppressWarnings("unchecked")
    private static CrmSynced read(ConsumerRecord<String, byte[]> record) {
        try (AvroDeserializer<CrmSynced> deserializer = new AvroDeserializer<>()) {
            deserializer.configure(Map.of("schema.registry.url", "mock://crm-sync-tests", "specific.avro.reader", true), false);
            return deserializer.deserialize(record.topic(), record.value());
        }
    }
}
