package io.leadflow.benchmarks;

import io.leadflow.avro.RepAlert;
import io.leadflow.localstack.LocalStack;
import io.leadflow.localstack.demo.SampleLeads;
import io.leadflow.localstack.system.LocalStackOptions;
import io.leadflow.localstack.system.Ports;
import io.leadflow.routing.rules.RulesLoader;
import io.leadflow.schemas.Topics;
import org.HdrHistogram.Histogram;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Scenario 1: the local stack with its HubSpot and Slack sandboxes; an open-loop generator posts signed website-form
 * (70 %) and Calendly (30 %) webhooks at a fixed rate. Per lead, latency runs from the INTENDED send time (no
 * coordinated omission) to: the webhook's 202 (the baseline), the NEW_LEAD record in {@code rep.alerts} (the alert ready
 * to send) and the Slack sandbox's {@code ts} for the first message listing the lead (a message of its own, or a digest).
 * Two phases, each on a fresh stack with a generated rules file (every lead to the fallback team by round robin):
 * <ul>
 * <li><b>pace</b>: 20 reps, 20 leads/s, so one lead a second per rep — what Slack accepts per channel;</li>
 * <li><b>burst</b>: 2 reps, 100 leads/s, 50 a second per rep — far above it, where rep-notifier coalesces the leads
 * waiting for a rep into digests; also the pipeline's own latency at 100 leads/s.</li>
 * </ul>
 */
final class SpeedToLead implements Scenario {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEBSITE_SECRET = "bench-website-secret";
    private static final String CALENDLY_KEY = "bench-calendly-key";
    private static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);
    private static final String NEW_LEAD = "NEW_LEAD:";

    @Override
    public String name() {
        return "speed-to-lead";
    }

    /** Where each lead's latencies end up, keyed by leadId. */
    private static final class Lead {
        final long intendedEpochMicros;

        Lead(long intendedEpochMicros) {
            this.intendedEpochMicros = intendedEpochMicros;
        }
    }

    /** What one phase measured. */
    private record Phase(int reps, int rate, long seconds, long sent, long accepted, long failed, Histogram ack, Histogram ready,
                         Histogram slack, long missingFromAlerts, long notInSlack, long repeated, long messages, long digests,
                         long mostLeadsInAMessage, String commitInterval) {
    }

    @Override
    public Result run(boolean quick) throws Exception {
        Duration warmUp = Duration.ofSeconds(quick ? 5 : 10);
        Phase pace = phase("pace", 20, 20, warmUp, Duration.ofSeconds(quick ? 20 : 60), Duration.ofSeconds(15));
        Phase burst = phase("burst", 2, 100, warmUp, Duration.ofSeconds(quick ? 15 : 30), Duration.ofSeconds(20));

        boolean a = pace.failed == 0 && pace.notInSlack == 0 && ms(pace.slack, 50) < 100 && ms(pace.slack, 99) < 500;
        boolean b = burst.failed == 0 && burst.notInSlack == 0 && burst.repeated == 0 && pace.repeated == 0
                && ms(burst.slack, 99) < 2000;
        boolean c = burst.missingFromAlerts == 0 && ms(burst.ready, 99) < 250;
        return Result.of(name())
                .settings(String.format("local stack in-process (broker, registry, every service, sandboxes) on random ports, a fresh one per "
                                + "phase; the load generator, the broker and every service share the same 2 cores; open loop (70%% signed "
                                + "website forms, 30%% signed Calendly bookings, every lead a new company), latency from the INTENDED send "
                                + "time; a generated rules file sends every lead by round robin to a team of N reps, each with their own "
                                + "Slack DM (the handbook's pipeline and plan rules unchanged); each phase starts with a %d s warm-up at "
                                + "1 lead/s per rep, not measured, whose leads must all be in Slack before the load; pace = %d reps, %d leads/s (1 lead/s per rep) "
                                + "for %d s; burst = %d reps, %d leads/s (%d leads/s per rep) for %d s; 'ready' = the NEW_LEAD record in "
                                + "rep.alerts (read_committed); 'Slack' = the Slack sandbox's ts for the first message listing that lead "
                                + "(its own message or a digest; in the burst every lead is the newest one when it arrives, so this is the "
                                + "newest-lead-visible latency), counted for what arrived within the drain (15 s / 20 s after the last "
                                + "send); rep-notifier paces each channel with a token bucket (burst 3, then 1 message/s), the sandbox "
                                + "enforces Slack's limit (burst 5, then 1/s); not in Slack = accepted but in no Slack message after the "
                                + "drain (lost); repeated = leads listed in more than one message; routing commit.interval.ms %s; baseline: "
                                + "the same requests' own 202 latency",
                        warmUp.toSeconds(), pace.reps, pace.rate, pace.seconds, burst.reps, burst.rate, burst.rate / burst.reps, burst.seconds,
                        burst.commitInterval))
                .figure("pace leads", pace.accepted)
                .figure("pace 202 p50 ms", ms(pace.ack, 50)).figure("pace 202 p99 ms", ms(pace.ack, 99))
                .figure("pace ready p50 ms", ms(pace.ready, 50)).figure("pace ready p99 ms", ms(pace.ready, 99))
                .figure("pace Slack p50 ms", ms(pace.slack, 50)).figure("pace Slack p99 ms", ms(pace.slack, 99))
                .figure("pace Slack max ms", max(pace.slack))
                .figure("pace digests", pace.digests)
                .figure("burst leads", burst.accepted)
                .figure("burst 202 p50 ms", ms(burst.ack, 50)).figure("burst 202 p99 ms", ms(burst.ack, 99))
                .figure("burst ready p50 ms", ms(burst.ready, 50)).figure("burst ready p99 ms", ms(burst.ready, 99))
                .figure("burst ready max ms", max(burst.ready))
                .figure("burst Slack p50 ms", ms(burst.slack, 50)).figure("burst Slack p99 ms", ms(burst.slack, 99))
                .figure("burst Slack max ms", max(burst.slack))
                .figure("burst messages", burst.messages).figure("most leads in a message", burst.mostLeadsInAMessage)
                .figure("failed", pace.failed + burst.failed)
                .figure("missing from rep.alerts", pace.missingFromAlerts + burst.missingFromAlerts)
                .figure("lost", pace.notInSlack + burst.notInSlack)
                .figure("repeated", pace.repeated + burst.repeated)
                .figure("targets", "a " + (a ? "met" : "missed") + ", b " + (b ? "met" : "missed") + ", c " + (c ? "met" : "missed"))
                .ratio(String.format("pace: Slack p50 %.1fx the webhook's own 202 p50; burst: ready p50 %.1fx, p99 %.1fx the 202's",
                        ms(pace.slack, 50) / Math.max(0.001, ms(pace.ack, 50)),
                        ms(burst.ready, 50) / Math.max(0.001, ms(burst.ack, 50)),
                        ms(burst.ready, 99) / Math.max(0.001, ms(burst.ack, 99))))
                .target("(a) 1 lead/s per rep, 20 reps: Slack p50 < 100 ms, p99 < 500 ms; (b) 100 leads/s to 2 reps: newest lead in "
                        + "Slack p99 < 2 s, 0 lost, 0 repeated; (c) ready in rep.alerts p99 < 250 ms at 100 leads/s", a && b && c)
                .build();
    }

    private Phase phase(String label, int reps, int rate, Duration warmUp, Duration load, Duration drain) throws Exception {
        Path data = Files.createTempDirectory("bench-speed-to-lead-" + label);
        Path rules = data.resolve("rules-" + reps + "-reps.yml");
        writeRules(rules, reps);
        LocalStack stack = LocalStack.start(new LocalStackOptions(data.resolve("stack"), true, false, null, Ports.random(), Map.of(
                "LEADFLOW_WEBSITE_SECRET", WEBSITE_SECRET, "LEADFLOW_CALENDLY_SIGNING_KEY", CALENDLY_KEY,
                "LEADFLOW_ROUTING_RULES", rules.toString())));
        String runId = label + "-" + Long.toString(System.currentTimeMillis(), 36);
        Map<String, Lead> leads = new ConcurrentHashMap<>();
        Map<String, Long> alertReady = new ConcurrentHashMap<>();
        Histogram ack = new Histogram(MAX_MICROS, 3);
        AtomicLong failed = new AtomicLong();
        AtomicBoolean reading = new AtomicBoolean(true);
        ExecutorService senders = Executors.newFixedThreadPool(64, r -> {
            Thread t = new Thread(r, "speed-to-lead-sender");
            t.setDaemon(true);
            return t;
        });
        Thread alertReader = null;
        try (CloseableHttpClient http = HttpLoad.pooled(64);
             KafkaConsumer<String, RepAlert> alerts = Kafka.avroConsumer(stack.bootstrapServers(), stack.registryUrl())) {
            String commitInterval = stack.services().get(LocalStack.ROUTING).getEnvironment()
                    .getProperty("spring.kafka.streams.properties.commit.interval.ms", "?");
            Kafka.assignAtEnd(alerts, Topics.REP_ALERTS.name());
            alertReader = new Thread(() -> {
                while (reading.get()) {
                    for (ConsumerRecord<String, RepAlert> r : alerts.poll(Duration.ofMillis(20))) {
                        long now = epochMicros();
                        if (r.value() != null && r.value().getLeadId() != null && r.value().getAlertId().startsWith(NEW_LEAD)) {
                            alertReady.putIfAbsent(r.value().getLeadId(), now);
                        }
                    }
                }
            }, "speed-to-lead-alerts");
            alertReader.start();

            // Warm-up at 1 lead/s per rep (the JIT, the connections, the lanes), not measured; then until Slack has it all.
            Map<String, Lead> warm = new ConcurrentHashMap<>();
            send(stack, http, senders, warmUp.toSeconds() * reps, TimeUnit.SECONDS.toNanos(1) / reps, "warm-" + runId, warm,
                    new Histogram(MAX_MICROS, 3), new AtomicLong());
            awaitSenders(senders);
            awaitSlack(stack, warm, drain, 0);

            long loadStart = epochMicros();
            long count = load.toSeconds() * rate;
            send(stack, http, senders, count, TimeUnit.SECONDS.toNanos(1) / rate, runId, leads, ack, failed);
            awaitSenders(senders);
            SlackView slack = awaitSlack(stack, leads, drain, loadStart);
            reading.set(false);
            alertReader.join(5_000);

            Histogram ready = new Histogram(MAX_MICROS, 3);
            Histogram inSlack = new Histogram(MAX_MICROS, 3);
            long missing = 0;
            long notInSlack = 0;
            long repeated = 0;
            for (Map.Entry<String, Lead> e : leads.entrySet()) {
                Long readyAt = alertReady.get(e.getKey());
                if (readyAt == null) {
                    missing++;
                } else {
                    record(ready, readyAt, e.getValue());
                }
                Long seen = slack.firstSeen.get(e.getKey());
                if (seen == null) {
                    notInSlack++;
                } else {
                    record(inSlack, seen, e.getValue());
                }
                if (slack.listings.getOrDefault(e.getKey(), 0) > 1) {
                    repeated++;
                }
            }
            repeated += warm.keySet().stream().filter(id -> slack.listings.getOrDefault(id, 0) > 1).count();
            System.out.printf("speed-to-lead %s: %d reps, %d leads/s, %d accepted, Slack p50 %.1f ms p99 %.1f ms, ready p99 %.1f ms, "
                            + "%d messages (%d digests), %d lost, %d repeated%n", label, reps, rate, leads.size(), ms(inSlack, 50),
                    ms(inSlack, 99), ms(ready, 99), slack.messages, slack.digests, notInSlack, repeated);
            return new Phase(reps, rate, load.toSeconds(), count, leads.size(), failed.get(), ack, ready, inSlack, missing, notInSlack,
                    repeated, slack.messages, slack.digests, slack.mostLeads, commitInterval);
        } finally {
            reading.set(false);
            senders.shutdownNow();
            if (alertReader != null) {
                alertReader.join(5_000);
            }
            stack.close();
            RoutingReplay.deleteQuietly(data);
        }
    }

    /**
     * The handbook's rules with {@code reps} reps instead of two, all in one team, no daily caps, and no owner rules: every
     * lead goes to the team by weighted round robin, so each rep gets exactly every {@code reps}-th lead.
     */
    static void writeRules(Path file, int reps) throws Exception {
        YAMLMapper yaml = YAMLMapper.builder().build();
        ObjectNode rules;
        try (InputStream in = RulesLoader.class.getClassLoader().getResourceAsStream(RulesLoader.DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("No " + RulesLoader.DEFAULT_RESOURCE + " on the classpath");
            }
            rules = (ObjectNode) yaml.readTree(in);
        }
        rules.put("version", "bench-" + reps + "-reps");
        ArrayNode list = rules.putArray("reps");
        ArrayNode team = JSON.createArrayNode();
        for (int i = 1; i <= reps; i++) {
            String id = String.format("rep%02d", i);
            list.addObject().put("id", id).put("name", "Rep " + i).put("email", id + "@example.com")
                    .put("slackUserId", String.format("U0BENCH%03d", i)).put("hubspotOwnerId", String.valueOf(300000000 + i))
                    .put("weight", 1).put("active", true).putArray("outOfOffice");
            team.add(id);
        }
        rules.putObject("teams").set("bench", team);
        ObjectNode owners = (ObjectNode) rules.path("owners");
        owners.put("stickiness", false);
        owners.putArray("rules");
        ((ObjectNode) owners.path("fallback")).put("team", "bench");
        Files.writeString(file, yaml.writeValueAsString(rules), StandardCharsets.UTF_8);
        RulesLoader.load(file); // fails here, with every problem, rather than in routing-service's start-up
    }

    /** Posts {@code count} webhooks, the i-th at start + i × interval, each on a sender thread; latency from the intended time. */
    private static void send(LocalStack stack, CloseableHttpClient http, ExecutorService senders, long count, long intervalNanos,
                             String prefix, Map<String, Lead> leads, Histogram ack, AtomicLong failed) {
        String intake = stack.intakeUrl();
        long startNanos = System.nanoTime();
        long startEpochMicros = epochMicros();
        for (long i = 0; i < count; i++) {
            long intendedNanos = startNanos + i * intervalNanos;
            long wait;
            while ((wait = intendedNanos - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            long seq = i;
            long intendedEpochMicros = startEpochMicros + (i * intervalNanos) / 1000;
            senders.execute(() -> {
                try {
                    String leadId = post(stack, http, intake, prefix, seq);
                    long now = epochMicros();
                    leads.put(leadId, new Lead(intendedEpochMicros));
                    synchronized (ack) {
                        ack.recordValue(Math.min(MAX_MICROS, Math.max(1, now - intendedEpochMicros)));
                    }
                } catch (Exception e) {
                    if (failed.getAndIncrement() == 0) {
                        System.err.println("First failed webhook: " + e);
                    }
                }
            });
        }
    }

    /** One signed webhook: a website form, or every third-ish lead a Calendly booking. Returns the leadId lead-intake answered. */
    private static String post(LocalStack stack, CloseableHttpClient http, String intake, String prefix, long seq) throws Exception {
        SampleLeads.Persona persona = SampleLeads.PERSONAS.get((int) (seq % SampleLeads.PERSONAS.size()))
                .at("Bench " + prefix + " " + seq, "bench-" + seq + "-" + prefix + ".example");
        boolean calendly = seq % 10 >= 7;
        String body;
        String path;
        String header;
        if (calendly) {
            body = SampleLeads.calendlyBooking(prefix + "-" + seq, persona, Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS));
            path = "/webhooks/calendly";
            header = "Calendly-Webhook-Signature";
        } else {
            body = SampleLeads.websiteForm(prefix + "-" + seq, persona, Instant.now());
            path = "/webhooks/website";
            header = "X-Leadflow-Signature";
        }
        String signature = stack.webhooks().timestamped(calendly ? CALENDLY_KEY : WEBSITE_SECRET, body.getBytes(StandardCharsets.UTF_8));
        String answer = HttpLoad.postJson(http, intake + path, body, Map.of(header, signature), 202);
        String leadId = JSON.readTree(answer).path("leadId").asString(null);
        if (leadId == null) {
            throw new IllegalStateException("lead-intake answered 202 without a leadId: " + answer);
        }
        return leadId;
    }

    /** Waits for every sender task to finish (one task per webhook; the pool is reused across the warm-up and the load). */
    private static void awaitSenders(ExecutorService senders) throws Exception {
        java.util.List<java.util.concurrent.Future<?>> marks = new java.util.ArrayList<>();
        for (int i = 0; i < 64; i++) {
            marks.add(senders.submit(() -> { }));
        }
        for (java.util.concurrent.Future<?> mark : marks) {
            mark.get(2, TimeUnit.MINUTES);
        }
    }

    /** Waits until the Slack sandbox lists every lead of {@code leads}, or {@code atMost} passed; returns what it holds. */
    private static SlackView awaitSlack(LocalStack stack, Map<String, Lead> leads, Duration atMost, long countSinceMicros)
            throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        SlackView slack = slackView(stack, countSinceMicros);
        while (System.nanoTime() < deadline && !slack.firstSeen.keySet().containsAll(leads.keySet())) {
            Thread.sleep(250);
            slack = slackView(stack, countSinceMicros);
        }
        return slack;
    }

    /**
     * What the Slack sandbox holds: per lead, the ts of the first message listing it and how many list it; and, for the
     * messages posted since a time, how many list new leads, how many are digests, and the most leads one lists.
     */
    private record SlackView(Map<String, Long> firstSeen, Map<String, Integer> listings, long messages, long digests, long mostLeads) {
    }

    private static SlackView slackView(LocalStack stack, long countSinceMicros) {
        Map<String, Long> firstSeen = new HashMap<>();
        Map<String, Integer> listings = new HashMap<>();
        long messages = 0;
        long digests = 0;
        long mostLeads = 0;
        for (JsonNode message : stack.slack().messages(Integer.MAX_VALUE)) {
            JsonNode payload = message.path("metadata").path("event_payload");
            java.util.List<String> ids = new java.util.ArrayList<>();
            if (payload.path("alerts").isArray()) {
                payload.path("alerts").forEach(a -> ids.add(a.path("alertId").asString("")));
            } else {
                ids.add(payload.path("alertId").asString(""));
            }
            long micros = new BigDecimal(message.path("ts").asString("0")).movePointRight(6).longValue();
            int newLeads = 0;
            for (String id : ids) {
                if (id.startsWith(NEW_LEAD)) {
                    String leadId = id.substring(NEW_LEAD.length());
                    firstSeen.merge(leadId, micros, Math::min);
                    listings.merge(leadId, 1, Integer::sum);
                    newLeads++;
                }
            }
            if (newLeads > 0 && micros >= countSinceMicros) {
                messages++;
                digests += newLeads > 1 ? 1 : 0;
                mostLeads = Math.max(mostLeads, newLeads);
            }
        }
        return new SlackView(firstSeen, listings, messages, digests, mostLeads);
    }

    private static void record(Histogram histogram, Long atEpochMicros, Lead lead) {
        if (atEpochMicros != null) {
            histogram.recordValue(Math.min(MAX_MICROS, Math.max(1, atEpochMicros - lead.intendedEpochMicros)));
        }
    }

    private static double ms(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    private static double max(Histogram histogram) {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getMaxValue() / 1000.0;
    }

    private static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }
}
