package io.leadflow.benchmarks;

import io.leadflow.avro.Contact;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadSource;
import io.leadflow.avro.PlanInterest;
import io.leadflow.intake.LeadIntakeApplication;
import io.leadflow.schemas.LeadIds;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroSerializer;
import io.leadflow.testing.KafkaBroker;
import io.leadflow.testing.KafkaBrokers;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import io.leadflow.localstack.system.EmbeddedService;

import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.springframework.context.ConfigurableApplicationContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Signed website-form webhooks against lead-intake (each answered only after Kafka's ack) at 16 and 64
 * closed-loop connections, against baselines in the same run: the {@link BareEndpoint} (same server, HMAC check and
 * the Kafka ack of the raw body, nothing else) at the same connections, the target's yardstick; a raw KafkaProducer
 * with the same settings sending equivalent LeadReceived records from 64 threads each waiting for its ack, and the
 * same producer sending asynchronously. Each closed-loop figure comes with the load generator's share of the CPU.
 */
final class IntakeThroughput implements Scenario {

    private static final String SECRET = "benchmark-website-secret";
    private static final String REGISTRY = "mock://benchmarks-intake";
    private static final String PRIVACY_KEY = "benchmarks-intake-privacy-key-of-32-bytes-or-more";

    @Override
    public String name() {
        return "intake";
    }

    @Override
    public Result run(boolean quick) throws Exception {
        Duration warmUp = quick ? Duration.ofSeconds(5) : Duration.ofSeconds(20);
        Duration measure = quick ? Duration.ofSeconds(5) : Duration.ofSeconds(30);
        KafkaBroker broker = KafkaBrokers.startPrivate();
        try {
            ClosedLoop.Outcome at16;
            ClosedLoop.Outcome at64;
            try (EmbeddedService intake = startIntake(broker)) {
                int port = Services.port(intake);
                String uri = "http://localhost:" + port + "/webhooks/website";
                try (CloseableHttpClient http = HttpLoad.pooled(64)) {
                    at16 = ClosedLoop.run(16, warmUp, measure, (client, seq) -> post(http, uri, seq));
                    at64 = ClosedLoop.run(64, warmUp.dividedBy(2), measure, (client, seq) -> post(http, uri, seq + 1_000_000_000L));
                }
            }
            // the same at 64 with LEADFLOW_PRIVACY_KEY set: every lead is a new person here, so each one costs a new data
            // key written to privacy.keys (and acknowledged) before its personal fields are encrypted under it: the worst case
            ClosedLoop.Outcome shredding64;
            try (EmbeddedService intake = startIntake(broker, Map.of("LEADFLOW_PRIVACY_KEY", PRIVACY_KEY));
                 CloseableHttpClient http = HttpLoad.pooled(64)) {
                String uri = "http://localhost:" + Services.port(intake) + "/webhooks/website";
                shredding64 = ClosedLoop.run(64, warmUp.dividedBy(2), measure, (client, seq) -> post(http, uri, seq + 3_000_000_000L));
            }
            ClosedLoop.Outcome bare16;
            ClosedLoop.Outcome bare64;
            try (ConfigurableApplicationContext bare = BareEndpoint.start(broker.bootstrapServers(), Topics.LEADS_RECEIVED.name(), SECRET);
                 CloseableHttpClient http = HttpLoad.pooled(64)) {
                String uri = "http://localhost:" + bare.getEnvironment().getProperty("local.server.port") + BareEndpoint.PATH;
                bare16 = ClosedLoop.run(16, warmUp, measure, (client, seq) -> post(http, uri, seq + 4_000_000_000L));
                bare64 = ClosedLoop.run(64, warmUp.dividedBy(2), measure, (client, seq) -> post(http, uri, seq + 5_000_000_000L));
            }
            ClosedLoop.Outcome syncBaseline;
            double asyncPerSecond;
            try (KafkaProducer<String, LeadReceived> producer = producer(broker)) {
                syncBaseline = ClosedLoop.run(64, warmUp.dividedBy(2), measure,
                        (client, seq) -> producer.send(record(seq + 2_000_000_000L)).get());
                asyncPerSecond = async(producer, warmUp.dividedBy(2), measure);
            }
            double of16 = at16.perSecond() / bare16.perSecond();
            double of64 = at64.perSecond() / bare64.perSecond();
            boolean met = at64.perSecond() >= 10_000 && of16 >= 0.5 && of64 >= 0.5 && at64.p99Millis() < 50 && at16.p99Millis() < 50;
            return Result.of(name() + " (JDK " + Runtime.version().feature() + ")")
                    .settings("closed loop, warm-up " + warmUp.toSeconds() + " s, measured " + measure.toSeconds()
                            + " s; producer acks=all, idempotent, linger.ms=1 on both sides; broker, intake and load generator share the cores "
                            + "(one JVM); bare endpoint = Spring MVC on Tomcat, HMAC check, asynchronous 202 on the Kafka ack of the raw body; "
                            + "load CPU = the load generator's threads' share of the process's CPU time in the measured window; "
                            + "with privacy key = a second lead-intake with LEADFLOW_PRIVACY_KEY set, every lead a new person (a new data key each)")
                    .figure("16 conns req/s", at16.perSecond()).figure("16 p50 ms", at16.p50Millis()).figure("16 p99 ms", at16.p99Millis())
                    .figure("16 load CPU %", 100 * at16.loadCpuShare())
                    .figure("64 conns req/s", at64.perSecond()).figure("64 p50 ms", at64.p50Millis()).figure("64 p99 ms", at64.p99Millis())
                    .figure("64 load CPU %", 100 * at64.loadCpuShare())
                    .figure("64 with privacy key req/s", shredding64.perSecond()).figure("64 with privacy key p99 ms", shredding64.p99Millis())
                    .figure("failed", at16.failed() + at64.failed() + shredding64.failed() + bare16.failed() + bare64.failed())
                    .figure("bare 16 req/s", bare16.perSecond()).figure("bare 16 p99 ms", bare16.p99Millis())
                    .figure("bare 16 load CPU %", 100 * bare16.loadCpuShare())
                    .figure("bare 64 req/s", bare64.perSecond()).figure("bare 64 p99 ms", bare64.p99Millis())
                    .figure("bare 64 load CPU %", 100 * bare64.loadCpuShare())
                    .figure("raw producer 64 sync/s", syncBaseline.perSecond()).figure("raw producer async/s", asyncPerSecond)
                    .ratio(String.format("%.2f of the bare endpoint at 16, %.2f at 64; %.2f of raw sync producer, %.2f of raw async producer; "
                                    + "with the privacy key (a new person per lead) %.2f of without at 64",
                            of16, of64, at64.perSecond() / syncBaseline.perSecond(), at64.perSecond() / asyncPerSecond,
                            shredding64.perSecond() / at64.perSecond()))
                    .target(">= 0.5 of the bare endpoint at 16 and at 64 with p99 < 50 ms, and >= 10,000/s at 64", met)
                    .build();
        } finally {
            broker.close();
        }
    }

    /** lead-intake on a free port, with its own application.yml (every service jar on this classpath carries one). */
    private static EmbeddedService startIntake(KafkaBroker broker) {
        return startIntake(broker, Map.of());
    }

    private static EmbeddedService startIntake(KafkaBroker broker, Map<String, String> more) {
        Map<String, String> settings = new java.util.HashMap<>(more);
        settings.put("leadflow.intake.secrets.website", SECRET);
        return Services.start("lead-intake", LeadIntakeApplication.class, broker.bootstrapServers(), REGISTRY, settings);
    }

    private static void post(CloseableHttpClient http, String uri, long seq) throws Exception {
        String body = "{\"submissionId\":\"bench-" + seq + "\",\"email\":\"lead" + seq + "@acme-" + (seq % 997)
                + ".com\",\"firstName\":\"Jane\",\"lastName\":\"Doe\",\"company\":\"Acme " + (seq % 997)
                + "\",\"website\":\"https://acme-" + (seq % 997) + ".com\",\"country\":\"Germany\",\"title\":\"CTO\","
                + "\"planInterest\":\"scale\",\"monthlyActiveUsers\":50000,\"monthlyEvents\":\"20m\",\"needs\":[\"sso\"],"
                + "\"message\":\"We would like to self-host and need SSO for our team of 40 engineers.\"}";
        long t = Instant.now().getEpochSecond();
        HttpLoad.postJson(http, uri, body, Map.of("X-Leadflow-Signature", "t=" + t + ",v1=" + hmac(t + "." + body)), 202);
    }

    private static String hmac(String payload) {
        return HexFormat.of().formatHex(io.leadflow.localstack.demo.WebhookClient.hmac(SECRET, payload.getBytes(StandardCharsets.UTF_8)));
    }

    private static KafkaProducer<String, LeadReceived> producer(KafkaBroker broker) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        config.put("schema.registry.url", REGISTRY);
        AvroSerializer<LeadReceived> serializer = new AvroSerializer<>();
        serializer.configure(config, false);
        return new KafkaProducer<>(config, new StringSerializer(), serializer);
    }

    private static ProducerRecord<String, LeadReceived> record(long seq) {
        String leadId = LeadIds.leadId("WEBSITE_FORM", "bench-" + seq);
        LeadReceived lead = LeadReceived.newBuilder()
                .setLeadId(leadId).setSource(LeadSource.WEBSITE_FORM).setSourceEventId("bench-" + seq)
                .setReceivedAt(Instant.now())
                .setContact(Contact.newBuilder().setEmail("lead" + seq + "@acme-" + (seq % 997) + ".com")
                        .setFirstName("Jane").setLastName("Doe").setTitle("CTO").setCompanyName("Acme " + (seq % 997))
                        .setCompanyDomain("acme-" + (seq % 997) + ".com").setCountry("DE").build())
                .setPlanInterest(PlanInterest.SCALE).setMonthlyActiveUsers(50_000L).setMonthlyEvents(20_000_000L)
                .setMessage("We would like to self-host and need SSO for our team of 40 engineers.")
                .build();
        return new ProducerRecord<>(Topics.LEADS_RECEIVED.name(), leadId, lead);
    }

    /** As many records as the producer takes, never more than 50,000 unacknowledged, for the window. */
    private static double async(KafkaProducer<String, LeadReceived> producer, Duration warmUp, Duration measure) throws InterruptedException {
        Semaphore inFlight = new Semaphore(50_000);
        AtomicLong acked = new AtomicLong();
        long seq = 3_000_000_000L;
        long warmEnd = System.nanoTime() + warmUp.toNanos();
        while (System.nanoTime() < warmEnd) {
            inFlight.acquire();
            producer.send(record(seq++), (m, e) -> inFlight.release());
        }
        long start = System.nanoTime();
        long end = start + measure.toNanos();
        while (System.nanoTime() < end) {
            inFlight.acquire();
            producer.send(record(seq++), (m, e) -> {
                inFlight.release();
                if (e == null) {
                    acked.incrementAndGet();
                }
            });
        }
        producer.flush();
        return acked.get() / ((System.nanoTime() - start) / 1e9);
    }
}
