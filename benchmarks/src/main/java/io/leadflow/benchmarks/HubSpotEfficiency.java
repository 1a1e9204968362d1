package io.leadflow.benchmarks;

import io.leadflow.avro.LeadRouted;
import io.leadflow.localstack.LocalStack;
import io.leadflow.sandbox.hubspot.HubSpotSandbox;
import io.leadflow.sandbox.hubspot.HubSpotSandboxSettings;
import io.leadflow.localstack.system.LocalStackOptions;
import io.leadflow.localstack.system.Ports;
import io.leadflow.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Scenario 3: N routed leads arrive in {@code leads.routed} at once; crm-sync (in the local stack) mirrors
 * them into the HubSpot sandbox, which enforces HubSpot's 190 requests per 10 s and counts every call.
 * Reports calls per lead, 429s, seconds until {@code crm.synced} holds every lead, duplicates in the
 * sandbox, and the ratio to the calls a one-lead-at-a-time client would need for the same objects.
 */
final class HubSpotEfficiency implements Scenario {

    private static final String TOO_MANY = "429 answers";

    @Override
    public String name() {
        return "hubspot";
    }

    @Override
    public Result run(boolean quick) throws Exception {
        int leads = quick ? 2_000 : 10_000;
        Duration timeout = Duration.ofSeconds(quick ? 150 : 240);
        Path data = Files.createTempDirectory("bench-hubspot");
        LocalStack stack = LocalStack.start(new LocalStackOptions(data, true, false, null, Ports.random(), Map.of()));
        try {
            HubSpotSandbox hubspot = stack.hubspot();
            Map<String, Long> before = hubspot.callCounts();
            Set<String> expected = new HashSet<>();
            Set<String> domains = new HashSet<>();
            Instant routedAt = Instant.now();
            for (long seq = 0; seq < leads; seq++) {
                LeadRouted lead = LeadMix.routed(seq, routedAt);
                expected.add(lead.getLeadId());
                if (lead.getLead().getContact().getCompanyDomain() != null) {
                    domains.add(lead.getLead().getContact().getCompanyDomain());
                }
            }
            long withCompany = 0;
            Set<String> synced = new HashSet<>();
            Set<String> refused = new HashSet<>();
            long start;
            long allSyncedAt = 0;
            try (KafkaConsumer<String, byte[]> syncedTopic = Kafka.rawConsumer(stack.bootstrapServers());
                 KafkaProducer<String, LeadRouted> producer = Kafka.avroProducer(stack.bootstrapServers(), stack.registryUrl())) {
                // crm.synced for every lead HubSpot took; leads.routed.dlt for every lead HubSpot refused.
                java.util.List<org.apache.kafka.common.TopicPartition> partitions = new java.util.ArrayList<>();
                for (int p = 0; p < Topics.CRM_SYNCED.partitions(); p++) {
                    partitions.add(new org.apache.kafka.common.TopicPartition(Topics.CRM_SYNCED.name(), p));
                }
                for (int p = 0; p < Topics.LEADS_ROUTED.partitions(); p++) {
                    partitions.add(new org.apache.kafka.common.TopicPartition(Topics.LEADS_ROUTED.deadLetter(), p));
                }
                syncedTopic.assign(partitions);
                syncedTopic.seekToEnd(partitions);
                partitions.forEach(syncedTopic::position);
                start = System.nanoTime();
                Kafka.produceAll(producer, leads, seq -> {
                    LeadRouted lead = LeadMix.routed(seq, routedAt);
                    return new ProducerRecord<>(Topics.LEADS_ROUTED.name(), lead.getLeadId(), lead);
                });
                long deadline = start + timeout.toNanos();
                while (synced.size() + refused.size() < leads && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> r : syncedTopic.poll(Duration.ofMillis(100))) {
                        if (expected.contains(r.key())) {
                            (r.topic().equals(Topics.CRM_SYNCED.name()) ? synced : refused).add(r.key());
                        }
                    }
                }
                refused.removeAll(synced);
                if (synced.size() == leads) {
                    allSyncedAt = System.nanoTime();
                }
            }
            for (long seq = 0; seq < leads; seq++) {
                if (LeadMix.routed(seq, routedAt).getLead().getContact().getCompanyDomain() != null) {
                    withCompany++;
                }
            }
            Map<String, Long> after = hubspot.callCounts();
            long calls = 0;
            for (Map.Entry<String, Long> e : after.entrySet()) {
                if (!e.getKey().equals(TOO_MANY)) {
                    calls += e.getValue() - before.getOrDefault(e.getKey(), 0L);
                }
            }
            long tooMany = after.getOrDefault(TOO_MANY, 0L) - before.getOrDefault(TOO_MANY, 0L);
            int contacts = hubspot.objects("contacts").size();
            int companies = hubspot.objects("companies").size();
            int deals = hubspot.objects("deals").size();
            int notes = hubspot.objects("notes").size();
            int tasks = hubspot.objects("tasks").size();
            long duplicates = Math.max(0, contacts - leads) + Math.max(0, deals - leads) + Math.max(0, companies - domains.size());
            // A client syncing one lead at a time: upsert the contact, look the company up by domain, create it when
            // new, create the deal, the note and the task (associations inline) — one call per object per lead.
            long naiveCalls = leads + withCompany + domains.size() + leads + notes + tasks;
            double seconds = allSyncedAt == 0 ? Double.NaN : (allSyncedAt - start) / 1e9;
            double callsPerLead = calls / (double) leads;
            boolean met = allSyncedAt != 0 && refused.isEmpty() && callsPerLead <= 0.1 && seconds <= 90 && duplicates == 0;
            System.out.printf("  sandbox: %d contacts, %d companies, %d deals, %d notes, %d tasks; calls by endpoint: %s%n",
                    contacts, companies, deals, notes, tasks, after);
            return Result.of(name())
                    .settings(String.format("%,d LeadRouted produced at once to leads.routed (%,d distinct company domains, the rest "
                            + "free-mail); crm-sync of the local stack against its HubSpot sandbox enforcing %d requests / 10 s; calls = "
                            + "every request the sandbox saw after start-up, 429s included; duplicates = contacts and deals beyond one per "
                            + "lead plus companies beyond one per domain; refused = leads crm-sync dead-lettered because HubSpot did not take them; one-lead-at-a-time client = contact upsert + company search "
                            + "(leads with a domain) + company create (new domains) + deal create + note create + task create per lead, "
                            + "associations inline = %,d calls", leads, domains.size(), HubSpotSandboxSettings.defaults().rateLimit(), naiveCalls))
                    .figure("leads", leads)
                    .figure("synced", synced.size())
                    .figure("refused (dead-lettered)", refused.size())
                    .figure("calls", calls)
                    .figure("calls/lead", Math.round(callsPerLead * 1000) / 1000.0)
                    .figure("429s", tooMany)
                    .figure("seconds to all synced", seconds)
                    .figure("duplicates", duplicates)
                    .figure("objects contacts/companies/deals/notes/tasks", contacts + "/" + companies + "/" + deals + "/" + notes + "/" + tasks)
                    .ratio(String.format("%.4f of a one-lead-at-a-time client's %,d calls (%.0fx fewer)", calls / (double) naiveCalls, naiveCalls,
                            naiveCalls / (double) Math.max(1, calls)))
                    .target("<= 0.1 calls/lead, all synced within 90 s, zero duplicates", met)
                    .build();
        } finally {
            stack.close();
            RoutingReplay.deleteQuietly(data);
        }
    }
}
