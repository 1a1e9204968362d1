package io.leadflow.benchmarks;

import io.leadflow.avro.RepAlert;
import io.leadflow.localstack.LocalStack;
import io.leadflow.localstack.demo.SampleLeads;
import io.leadflow.localstack.system.LocalStackOptions;
import io.leadflow.localstack.system.Ports;
import io.leadflow.schemas.Topics;
import org.HdrHistogram.Histogram;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import tools.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Scenario 1: the local stack with its HubSpot and Slack sandboxes; an open-loop generator posts signed
 * website-form (70 %) and Calendly (30 %) webhooks at a fixed rate. Per lead, latency runs from the
 * INTENDED send time (no coordinated omission) to: the webhook's 202 (the baseline), the NEW_LEAD record
 * in {@code rep.alerts} (the alert ready to send), and the Slack sandbox receiving the message (its
 * {@code ts}). A short probe at a pace Slack allows comes first, so the end-to-end figure is also seen
 * without rep-notifier's per-channel pacing.
 */
final class SpeedToLead implements Scenario {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEBSITE_SECRET = "bench-website-secret";
    private static final String CALENDLY_KEY = "bench-calendly-key";
    private static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);

    @Override
    public String name() {
        return "speed-to-lead";
    }

    /** Where each lead's latencies end up, keyed by leadId. */
    private static final class Lead {
        final long intendedEpochMicros;
        volatile long ackedEpochMicros;

        Lead(long intendedEpochMicros) {
            this.intendedEpochMicros = intendedEpochMicros;
        }
    }

    @Override
    public Result run(boolean quick) throws Exception {
        int rate = 100;
        Duration load = Duration.ofSeconds(quick ? 15 : 60);
        Duration drain = Duration.ofSeconds(quick ? 15 : 30);
        int probes = quick ? 5 : 10;
        Duration probeEvery = Duration.ofSeconds(2);
        Path data = Files.createTempDirectory("bench-speed-to-lead");
        LocalStack stack = LocalStack.start(new LocalStackOptions(data, true, false, null, Ports.random(), Map.of(
                "LEADFLOW_WEBSITE_SECRET", WEBSITE_SECRET, "LEADFLOW_CALENDLY_SIGNING_KEY", CALENDLY_KEY)));
        String runId = Long.toString(System.currentTimeMillis(), 36);
        Map<String, Lead> probeLeads = new ConcurrentHashMap<>();
        Map<String, Lead> loadLeads = new ConcurrentHashMap<>();
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
        try (CloseableHttpClient http = WebhookClient.pooled(64);
             KafkaConsumer<String, RepAlert> alerts = Kafka.avroConsumer(stack.bootstrapServers(), stack.registryUrl())) {
            Kafka.assignAtEnd(alerts, Topics.REP_ALERTS.name());
            alertReader = new Thread(() -> {
                while (reading.get()) {
                    for (ConsumerRecord<String, RepAlert> r : alerts.poll(Duration.ofMillis(50))) {
                        long now = epochMicros();
                        if (r.value() != null && r.value().getLeadId() != null && r.value().getAlertId().startsWith("NEW_LEAD:")) {
                            alertReady.putIfAbsent(r.value().getLeadId(), now);
                        }
                    }
                }
            }, "speed-to-lead-alerts");
            alertReader.start();

            // 1. Probe: one lead every 2 s, within Slack's pace for a channel.
            send(stack, http, senders, probes, probeEvery.toNanos(), "probe-" + runId, probeLeads, null, failed);
            awaitAlerts(probeLeads, alertReady, Duration.ofSeconds(20));
            // 2. Load: 100 leads/s, open loop.
            long count = load.toSeconds() * rate;
            send(stack, http, senders, count, TimeUnit.SECONDS.toNanos(1) / rate, "load-" + runId, loadLeads, ack, failed);
            senders.shutdown();
            senders.awaitTermination(2, TimeUnit.MINUTES);
            awaitAlerts(loadLeads, alertReady, drain);
            reading.set(false);
            alertReader.join(5_000);

            Map<String, Long> slack = slackArrivals(stack);
            Histogram probeSlack = new Histogram(MAX_MICROS, 3);
            Histogram probeReady = new Histogram(MAX_MICROS, 3);
            probeLeads.forEach((leadId, lead) -> {
                record(probeReady, alertReady.get(leadId), lead);
                record(probeSlack, slack.get(leadId), lead);
            });
            Histogram ready = new Histogram(MAX_MICROS, 3);
            Histogram slackLatency = new Histogram(MAX_MICROS, 3);
            long lost = 0;
            long inSlack = 0;
            for (Map.Entry<String, Lead> e : loadLeads.entrySet()) {
                Long readyAt = alertReady.get(e.getKey());
                if (readyAt == null) {
                    lost++;
                } else {
                    record(ready, readyAt, e.getValue());
                }
                if (slack.containsKey(e.getKey())) {
                    inSlack++;
                    record(slackLatency, slack.get(e.getKey()), e.getValue());
                }
            }
            long accepted = loadLeads.size();
            long notYetInSlack = accepted - inSlack;
            double slackP50 = ms(slackLatency, 50);
            double slackP99 = ms(slackLatency, 99);
            boolean met = failed.get() == 0 && lost == 0 && notYetInSlack == 0 && slackP50 < 100 && slackP99 < 500;
            return Result.of(name())
                    .settings(String.format("local stack in-process (broker, registry, every service, sandboxes) on random ports; open loop, "
                            + "%d leads/s for %d s (70%% signed website forms, 30%% signed Calendly bookings, every lead a new company), "
                            + "latency from the INTENDED send time; 'ready' = the NEW_LEAD record in rep.alerts (what the pipeline controls), "
                            + "'Slack' = the Slack sandbox's ts for the message carrying that alert id, counted for what arrived within %d s "
                            + "after the last send; rep-notifier paces every Slack channel to ~1 message/s (Slack's per-channel limit; a DM "
                            + "per rep, burst 5), so at 100 leads/s most alerts queue behind that pace and cannot reach Slack within 500 ms "
                            + "whatever the pipeline does; the probe (%d leads, one every %d s, before the load) shows webhook→Slack at a "
                            + "pace Slack accepts; baseline: the same requests' own 202 latency; lost = accepted, but no rep.alerts record",
                            rate, load.toSeconds(), drain.toSeconds(), probes, probeEvery.toSeconds()))
                    .figure("sent", count)
                    .figure("accepted", accepted)
                    .figure("failed", failed.get())
                    .figure("202 p50 ms", ms(ack, 50)).figure("202 p99 ms", ms(ack, 99))
                    .figure("ready p50 ms", ms(ready, 50)).figure("ready p99 ms", ms(ready, 99)).figure("ready max ms", ready.getMaxValue() / 1000.0)
                    .figure("Slack p50 ms", slackP50).figure("Slack p99 ms", slackP99).figure("Slack max ms", slackLatency.getMaxValue() / 1000.0)
                    .figure("in Slack", inSlack)
                    .figure("queued for Slack", notYetInSlack)
                    .figure("probe Slack p50 ms", ms(probeSlack, 50)).figure("probe Slack max ms", probeSlack.getMaxValue() / 1000.0)
                    .figure("lost", lost)
                    .ratio(String.format("rep.alerts ready p50 %.1fx, p99 %.1fx the webhook's own 202 latency", ms(ready, 50) / Math.max(0.001, ms(ack, 50)),
                            ms(ready, 99) / Math.max(0.001, ms(ack, 99))))
                    .target("Slack p50 < 100 ms, p99 < 500 ms, 0 lost", met)
                    .build();
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
                    Lead lead = new Lead(intendedEpochMicros);
                    lead.ackedEpochMicros = now;
                    leads.put(leadId, lead);
                    if (ack != null) {
                        synchronized (ack) {
                            ack.recordValue(Math.min(MAX_MICROS, Math.max(1, now - intendedEpochMicros)));
                        }
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
        String answer = WebhookClient.postJson(http, intake + path, body, Map.of(header, signature), 202);
        String leadId = JSON.readTree(answer).path("leadId").asString(null);
        if (leadId == null) {
            throw new IllegalStateException("lead-intake answered 202 without a leadId: " + answer);
        }
        return leadId;
    }

    private static void awaitAlerts(Map<String, Lead> leads, Map<String, Long> ready, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline && !ready.keySet().containsAll(leads.keySet())) {
            Thread.sleep(100);
        }
    }

    /** leadId → when the Slack sandbox received its NEW_LEAD message (epoch µs, from the message's ts). */
    private static Map<String, Long> slackArrivals(LocalStack stack) {
        Map<String, Long> arrivals = new ConcurrentHashMap<>();
        for (var message : stack.slack().messages(Integer.MAX_VALUE)) {
            String alertId = message.path("metadata").path("event_payload").path("alertId").asString("");
            if (alertId.startsWith("NEW_LEAD:")) {
                long micros = new BigDecimal(message.path("ts").asString("0")).movePointRight(6).longValue();
                arrivals.merge(alertId.substring("NEW_LEAD:".length()), micros, Math::min);
            }
        }
        return arrivals;
    }

    private static void record(Histogram histogram, Long atEpochMicros, Lead lead) {
        if (atEpochMicros != null) {
            histogram.recordValue(Math.min(MAX_MICROS, Math.max(1, atEpochMicros - lead.intendedEpochMicros)));
        }
    }

    private static double ms(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    private static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }
}
