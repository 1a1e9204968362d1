package io.leadflow.benchmarks;

import io.leadflow.avro.Contact;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Region;
import io.leadflow.localstack.system.EmbeddedService;
import io.leadflow.routing.RoutingServiceApplication;
import io.leadflow.routing.system.RoutingProperties;
import io.leadflow.schemas.Topics;
import io.leadflow.testing.KafkaBroker;
import io.leadflow.testing.KafkaBrokers;
import io.leadflow.testing.PooledRules;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 6: routing-service with N open SLA clocks (RocksDB stores with changelogs, exactly-once), of which 10,000
 * fall due in the same instant. A generated rules file gives every lead to a round robin of a few reps; the leads of
 * the burst (the only ones from New Zealand) get a policy that reassigns them after a fixed time of working time,
 * every other lead a policy whose clock stays open for a day. The burst is routed before the reps' working day
 * starts, so its clocks all fall due together once it has started (as a night's leads do in the morning); the
 * routing lane alone could not decide 10,000 leads within one second. Reports the heap after a full GC before and
 * after loading (stores live on disk, so it must not grow with clocks), and for the burst how late each
 * reassignment was decided ({@code decidedAt - due}) and seen by a read_committed consumer of {@code leads.routed},
 * against the broker's own produce→consume latency for 10,000 records sent at once.
 */
final class SlaClocks implements Scenario {

    private static final String REGISTRY = "mock://benchmarks-sla";
    private static final int BURST = 10_000;
    private static final String BURST_COUNTRY = "NZ";

    @Override
    public String name() {
        return "sla-clocks";
    }

    @Override
    public Result run(boolean quick) throws Exception {
        int clocks = quick ? 20_000 : 100_000;
        int background = clocks - BURST;
        Duration timeout = Duration.ofMinutes(3);
        // The burst's clocks count working time only, and the reps' working day starts at the first whole minute at
        // least 30 s from now: every burst lead is routed before it (10,000 take a few seconds), so all their clocks
        // fall due at the same instant, the window's start plus reassignAfter (as leads that came in overnight fall due
        // together after the working day starts). reassignAfter leaves time to load every other clock and measure.
        Duration reassignAfter = Duration.ofSeconds(quick ? 40 : 120);
        Instant opens = Instant.now().plusSeconds(30 + 59).truncatedTo(ChronoUnit.MINUTES);
        // A zone in which the window from that minute to 23:59 is hours long.
        ZoneId zone = opens.atZone(ZoneOffset.UTC).getHour() < 12 ? ZoneOffset.UTC : ZoneId.of("Etc/GMT+12");
        String workingHours = opens.atZone(zone).toLocalTime().format(DateTimeFormatter.ofPattern("HH:mm")) + "-23:59 Mon-Sun";
        KafkaBroker broker = KafkaBrokers.startPrivate();
        Path stateDir = Files.createTempDirectory("bench-sla-state");
        Path rules = Files.createTempFile("bench-sla-rules", ".yml");
        String bootstrap = broker.bootstrapServers();
        try (KafkaProducer<String, LeadReceived> producer = Kafka.avroProducer(bootstrap, REGISTRY);
             KafkaConsumer<String, LeadRouted> routed = Kafka.avroConsumer(bootstrap, REGISTRY)) {
            Files.writeString(rules, rules(reassignAfter, zone, workingHours), StandardCharsets.UTF_8);
            EmbeddedService routing = Services.start("routing-service", RoutingServiceApplication.class, bootstrap, REGISTRY, Map.of(
                    "spring.kafka.streams.application-id", "bench-sla-" + UUID.randomUUID(),
                    "spring.kafka.streams.state-dir", stateDir.toString(),
                    "LEADFLOW_ROUTING_STATE_DIR", stateDir.toString(),
                    "LEADFLOW_ROUTING_RULES", rules.toString(),
                    "leadflow.admin.token", "bench-" + UUID.randomUUID()));
            try {
                String settings = settings(routing);
                Kafka.assignAtEnd(routed, Topics.LEADS_ROUTED.name());
                long heapStart = Measure.heapAfterGc();
                Instant receivedAt = Instant.now();
                long loadStart = System.nanoTime();

                // The burst: 10,000 leads sent at once; the broker's own latency for them is the baseline.
                Histogram brokerLatency = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
                Map<String, Long> dueAt = new HashMap<>();
                try (KafkaConsumer<String, LeadReceived> received = Kafka.avroConsumer(bootstrap, REGISTRY)) {
                    Kafka.assignAtEnd(received, Topics.LEADS_RECEIVED.name());
                    long sentAtMicros = Measure.nowMicros();
                    Kafka.produceAll(producer, BURST, seq -> record(burstLead(seq, receivedAt)));
                    long back = Kafka.readUntil(received, BURST, timeout,
                            r -> brokerLatency.recordValue(Math.max(1, Measure.nowMicros() - sentAtMicros)));
                    if (back < BURST) {
                        throw new IllegalStateException("Only " + back + " of the " + BURST + " burst leads came back from the broker");
                    }
                }
                long burstRoutedBy = 0;
                while (dueAt.size() < BURST && System.nanoTime() - loadStart < timeout.toNanos()) {
                    for (var r : routed.poll(Duration.ofMillis(100))) {
                        LeadRouted decision = r.value();
                        if (decision != null && isBurst(decision) && decision.getDecisionVersion() == 1) {
                            // Working time from the later of the decision and the window's start (as the rep's clock counts it).
                            long routedAt = decision.getRoutedAt().toEpochMilli();
                            burstRoutedBy = Math.max(burstRoutedBy, routedAt);
                            dueAt.put(decision.getLeadId(), Math.max(routedAt, opens.toEpochMilli()) + reassignAfter.toMillis());
                        }
                    }
                }
                if (dueAt.size() < BURST) {
                    throw new IllegalStateException("Only " + dueAt.size() + " of the " + BURST + " burst leads were routed within " + timeout);
                }
                System.out.printf("  %,d burst leads routed in %.1f s, %.1f s before the working day starts%n", BURST,
                        (System.nanoTime() - loadStart) / 1e9, (opens.toEpochMilli() - burstRoutedBy) / 1000.0);

                // Every other clock: leads of the usual mix, each routed and given a clock that stays open.
                Kafka.produceAll(producer, background, seq -> record(LeadMix.received(seq, receivedAt.plusMillis(seq))));
                long others = Kafka.readUntil(routed, background, timeout, r -> { });
                if (others < background) {
                    throw new IllegalStateException("Only " + others + " of " + background + " leads were routed within " + timeout);
                }
                long firstDue = dueAt.values().stream().mapToLong(Long::longValue).min().orElseThrow();
                long lastDue = dueAt.values().stream().mapToLong(Long::longValue).max().orElseThrow();
                double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
                long heapLoaded = Measure.heapAfterGc();
                long bytesPerClock = Math.max(0, (heapLoaded - heapStart) / clocks);
                System.out.printf("  %,d open clocks after %.1f s; heap after GC %d MiB at start, %d MiB loaded; the burst falls due within %d ms, in %.1f s%n",
                        clocks, loadSeconds, Measure.mib(heapStart), Measure.mib(heapLoaded), lastDue - firstDue,
                        (firstDue - System.currentTimeMillis()) / 1000.0);
                if (System.currentTimeMillis() > firstDue) {
                    System.out.println("  warning: the burst fell due before loading and the heap measurement finished; lag includes them");
                }

                // The reassignments: each burst lead's version 2, as a read_committed consumer sees it.
                Histogram firedLag = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
                Histogram seenLag = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
                Set<String> reassigned = new HashSet<>();
                AtomicLong repeated = new AtomicLong();
                AtomicLong strays = new AtomicLong();
                long deadline = lastDue + timeout.toMillis();
                while (reassigned.size() < BURST && System.currentTimeMillis() < deadline) {
                    for (var r : routed.poll(Duration.ofMillis(100))) {
                        long seenMicros = Measure.nowMicros();
                        LeadRouted decision = r.value();
                        if (decision == null || decision.getDecisionVersion() < 2) {
                            continue;
                        }
                        Long due = dueAt.get(decision.getLeadId());
                        if (due == null) {
                            strays.incrementAndGet();
                        } else if (!reassigned.add(decision.getLeadId()) || decision.getDecisionVersion() > 2) {
                            repeated.incrementAndGet();
                        } else {
                            firedLag.recordValue(Math.max(1, (decision.getDecidedAt().toEpochMilli() - due) * 1000));
                            seenLag.recordValue(Math.max(1, seenMicros - due * 1000));
                        }
                    }
                }
                double seenP99 = seenLag.getValueAtPercentile(99) / 1000.0;
                double brokerP99 = brokerLatency.getValueAtPercentile(99) / 1000.0;
                System.out.printf("  burst: %,d reassigned, fired lag p50 %.0f ms / p99 %.0f ms, seen p50 %.0f ms / p99 %.0f ms / max %.0f ms; broker p99 %.0f ms%n",
                        reassigned.size(), firedLag.getValueAtPercentile(50) / 1000.0, firedLag.getValueAtPercentile(99) / 1000.0,
                        seenLag.getValueAtPercentile(50) / 1000.0, seenP99, seenLag.getMaxValue() / 1000.0, brokerP99);
                boolean met = reassigned.size() == BURST && repeated.get() == 0 && strays.get() == 0 && seenP99 < 1000 && bytesPerClock < 1000;
                return Result.of(name())
                        .settings(String.format("routing-service with a fresh application id, RocksDB stores with changelogs, exactly_once_v2, %s; "
                                + "a generated rules file: 4 reps in one round-robin team (no caps, plain pipeline and plan defaults), each working "
                                + "%s (%s) from the first whole minute at least 30 s after start-up; SLA policy 'burst' (leads from %s only: "
                                + "reassignAfter %d s of working time, maxReassignments 1, workingHoursOnly true) and 'open' (every other lead: "
                                + "reassignAfter 1 d, workingHoursOnly false, so its clock stays open); the %,d burst leads sent at once and "
                                + "routed before the working day starts, so all their clocks fall due at its start + %d s (due within %d ms of "
                                + "each other), then %,d leads of the usual mix; load %.1f s in all; heap after a full GC (whole JVM: broker, "
                                + "producer and service) before loading and with all %,d clocks open, growth divided by the clocks; lag per "
                                + "burst lead from its due time: 'fired' = decidedAt of version 2 - due, 'reassignment' = when a read_committed "
                                + "consumer of leads.routed got version 2 - due; repeated = a burst lead seen at version 2 twice or at a later "
                                + "version; baseline: the broker's produce→consume latency for the same %,d leads sent at once",
                                settings, workingHours, zone.getId(), BURST_COUNTRY, reassignAfter.toSeconds(), BURST,
                                reassignAfter.toSeconds(), lastDue - firstDue, background, loadSeconds, clocks, BURST))
                        .figure("open clocks", clocks)
                        .figure("load s", loadSeconds)
                        .figure("heap MiB at start", Measure.mib(heapStart))
                        .figure("heap MiB after load", Measure.mib(heapLoaded))
                        .figure("heap bytes/clock", bytesPerClock)
                        .figure("burst due within ms", lastDue - firstDue)
                        .figure("reassigned", reassigned.size())
                        .figure("repeated", repeated.get())
                        .figure("fired lag p50 ms", firedLag.getValueAtPercentile(50) / 1000.0)
                        .figure("fired lag p99 ms", firedLag.getValueAtPercentile(99) / 1000.0)
                        .figure("reassignment lag p50 ms", seenLag.getValueAtPercentile(50) / 1000.0)
                        .figure("reassignment lag p99 ms", seenP99)
                        .figure("reassignment lag max ms", seenLag.getMaxValue() / 1000.0)
                        .figure("broker p99 ms", brokerP99)
                        .ratio(String.format("reassignment lag p99 %.1fx the broker's produce→consume p99", seenP99 / Math.max(0.001, brokerP99)))
                        .target("reassignment lag p99 < 1 s with 10,000 due together among 100,000 open clocks, each reassigned once; heap flat (< 1,000 bytes per open clock)", met)
                        .build();
            } finally {
                routing.close();
            }
        } finally {
            broker.close();
            RoutingReplay.deleteQuietly(stateDir);
            Files.deleteIfExists(rules);
        }
    }

    private static ProducerRecord<String, LeadReceived> record(LeadReceived lead) {
        return new ProducerRecord<>(Topics.LEADS_RECEIVED.name(), lead.getLeadId(), lead);
    }

    /** A lead of the usual mix, from the one country only the burst comes from; sequence numbers apart from the others'. */
    private static LeadReceived burstLead(long seq, Instant receivedAt) {
        LeadReceived lead = LeadMix.received(100_000_000L + seq, receivedAt);
        return LeadReceived.newBuilder(lead)
                .setContact(Contact.newBuilder(lead.getContact()).setCountry(BURST_COUNTRY).setRegion(Region.OTHER).build())
                .build();
    }

    private static boolean isBurst(LeadRouted decision) {
        return decision.getLead().getContact() != null && BURST_COUNTRY.equals(decision.getLead().getContact().getCountry());
    }

    private static String rules(Duration reassignAfter, ZoneId zone, String workingHours) {
        PooledRules rules = PooledRules.version("bench-sla-clocks");
        List<String> team = List.of("ana", "bo", "cy", "dee");
        for (int i = 0; i < team.size(); i++) {
            String id = team.get(i);
            String name = Character.toUpperCase(id.charAt(0)) + id.substring(1);
            rules.rep("{ id: %s, name: %s, email: %s@example.com, slackUserId: U0BENCH%s, hubspotOwnerId: \"20000000%d\", timeZone: %s, workingHours: \"%s\" }"
                    .formatted(id, name, id, id.toUpperCase(Locale.ROOT), i + 1, zone.getId(), workingHours));
        }
        return rules.team(team.toArray(String[]::new))
                .sla("""
                          - { id: burst, when: { country: %s }, reassignAfter: %ds, maxReassignments: 1, workingHoursOnly: true }
                          - { id: open, reassignAfter: 1d, maxReassignments: 1, workingHoursOnly: false }
                        """.formatted(BURST_COUNTRY, reassignAfter.toSeconds()))
                .yaml();
    }

    /** The clock settings routing-service runs with (its defaults, or what the environment set), for the settings line. */
    private static String settings(EmbeddedService routing) {
        RoutingProperties properties = Services.context(routing).getBean(RoutingProperties.class);
        return String.format("SLA punctuation every %d ms, at most %,d fires per tick, %s", properties.slaPunctuationInterval().toMillis(),
                properties.slaMaxFiresPerTick(), Services.streamsSettings(routing));
    }
}
