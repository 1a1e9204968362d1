package io.leadflow.chaos;

import io.leadflow.localstack.demo.SampleLeads;
import io.leadflow.localstack.demo.WebhookClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Signed webhooks of every lead source at a steady rate, spread over the lead-intake instances as a load balancer
 * would, each retried as its provider does until it is acknowledged: with back-off, to whichever instance answers,
 * and — for the providers that resend the same signed request (Calendly, Cal.com, Mailgun, SendGrid) — with the
 * original body and signature, while the website's backend signs each attempt anew. Provider back-off schedules are
 * compressed (seconds instead of minutes) so a run takes minutes.
 *
 * <p>Every lead is a new person at a new company (its own email and domain), so each must become exactly one
 * contact, company, deal, note, set of tasks and Slack alert.
 */
final class WebhookLoad implements AutoCloseable {

    enum Kind { WEBSITE, CALENDLY, CALCOM, MAILGUN, SENDGRID }

    /** What became of one webhook: the lead it was acknowledged as (null while not), attempts and times. */
    record Delivery(int n, Kind kind, String email, String domain, String leadId, String outcome, int lastStatus, int attempts,
                    Instant firstSent, Instant acknowledged) {

        boolean accepted() {
            return leadId != null;
        }
    }

    private record Prepared(String path, String contentType, byte[] body, List<String> headers) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration MAX_BACK_OFF = Duration.ofSeconds(8);

    private final List<String> intakeUrls;
    private final Signing signing;
    private final String runId;
    private final Duration giveUpAfter;
    private final WebhookClient signer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "load-pace"));
    /** A thread per webhook in flight: one that is being retried must not hold back the ones still to come. */
    private final ExecutorService senders = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "load-sender");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicInteger balancer = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ConcurrentLinkedQueue<Delivery> done = new ConcurrentLinkedQueue<>();
    private volatile boolean stopped;

    WebhookLoad(List<String> intakeUrls, Signing signing, String runId, Duration giveUpAfter) {
        this.intakeUrls = List.copyOf(intakeUrls);
        this.signing = signing;
        this.runId = runId;
        this.giveUpAfter = giveUpAfter;
        this.signer = new WebhookClient(intakeUrls.get(0), signing.secrets(), Clock.systemUTC());
    }

    /** Starts posting {@code perSecond} webhooks a second, the sources in turn. */
    void start(double perSecond) {
        long periodMicros = Math.round(1_000_000 / perSecond);
        pace.scheduleAtFixedRate(() -> {
            if (!stopped) {
                int n = sequence.incrementAndGet();
                inFlight.incrementAndGet();
                senders.execute(() -> {
                    try {
                        done.add(deliver(n));
                    } finally {
                        inFlight.decrementAndGet();
                    }
                });
            }
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
    }

    int sent() {
        return sequence.get();
    }

    /** Stops posting new webhooks; the ones still being retried go on until acknowledged or given up. */
    void stop() {
        stopped = true;
        pace.shutdownNow();
    }

    /** Webhooks still being sent or retried. */
    int inFlight() {
        return inFlight.get();
    }

    List<Delivery> deliveries() {
        return new ArrayList<>(done);
    }

    @Override
    public void close() {
        stop();
        senders.shutdownNow();
    }

    private Delivery deliver(int n) {
        Kind kind = Kind.values()[n % Kind.values().length];
        String domain = "c" + n + "-" + runId + ".io";
        SampleLeads.Persona persona = SampleLeads.PERSONAS.get(n % SampleLeads.PERSONAS.size())
                .at("Chaos " + runId.toUpperCase(Locale.ROOT) + " " + n, domain);
        String id = "chaos-" + runId + "-" + n;
        Prepared request = prepare(kind, id, persona);
        Instant first = Instant.now();
        Instant giveUp = first.plus(giveUpAfter);
        int attempts = 0;
        int status = 0;
        Duration backOff = Duration.ofMillis(500);
        while (true) {
            attempts++;
            if (kind == Kind.WEBSITE && attempts > 1) {
                // the website's backend is ours: it signs every attempt with a fresh timestamp
                request = prepare(kind, id, persona);
            }
            Duration wait = backOff;
            Duration floor = backOff;
            try {
                HttpResponse<String> response = send(request);
                status = response.statusCode();
                if (status / 100 == 2) {
                    JsonNode body = JSON.readTree(response.body());
                    return new Delivery(n, kind, persona.email(), domain, body.path("leadId").asString(null),
                            body.path("outcome").asString(""), status, attempts, first, Instant.now());
                }
                if (!retryable(status)) {
                    return new Delivery(n, kind, persona.email(), domain, null, "refused: " + abbreviate(response.body()), status, attempts, first, null);
                }
                wait = response.headers().firstValue("Retry-After").map(WebhookLoad::seconds).filter(d -> d.compareTo(floor) > 0)
                        .map(d -> d.compareTo(MAX_BACK_OFF) > 0 ? MAX_BACK_OFF : d).orElse(floor);
            } catch (IOException e) {
                status = -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Delivery(n, kind, persona.email(), domain, null, "interrupted", status, attempts, first, null);
            }
            if (Instant.now().plus(wait).isAfter(giveUp)) {
                return new Delivery(n, kind, persona.email(), domain, null, "gave up", status, attempts, first, null);
            }
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Delivery(n, kind, persona.email(), domain, null, "interrupted", status, attempts, first, null);
            }
            backOff = backOff.multipliedBy(2).compareTo(MAX_BACK_OFF) > 0 ? MAX_BACK_OFF : backOff.multipliedBy(2);
        }
    }

    /** Connection failures, timeouts, 408, 409 (the same delivery in progress elsewhere), 425, 429 and 5xx are retried. */
    private static boolean retryable(int status) {
        return status == 408 || status == 409 || status == 425 || status == 429 || status >= 500;
    }

    private HttpResponse<String> send(Prepared request) throws IOException, InterruptedException {
        String base = intakeUrls.get(Math.floorMod(balancer.getAndIncrement(), intakeUrls.size()));
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + request.path()))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", request.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        for (int i = 0; i < request.headers().size(); i += 2) {
            builder.header(request.headers().get(i), request.headers().get(i + 1));
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Prepared prepare(Kind kind, String id, SampleLeads.Persona p) {
        Instant now = Instant.now();
        Instant demo = now.plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        return switch (kind) {
            case WEBSITE -> {
                byte[] body = SampleLeads.websiteForm(id, p, now).getBytes(StandardCharsets.UTF_8);
                yield new Prepared("/webhooks/website", "application/json", body,
                        List.of("X-Leadflow-Signature", signer.timestamped(signing.secrets().website(), body)));
            }
            case CALENDLY -> {
                byte[] body = SampleLeads.calendlyBooking(id, p, demo).getBytes(StandardCharsets.UTF_8);
                yield new Prepared("/webhooks/calendly", "application/json", body,
                        List.of("Calendly-Webhook-Signature", signer.timestamped(signing.secrets().calendly(), body)));
            }
            case CALCOM -> {
                byte[] body = SampleLeads.calcomBooking(id, p, demo).getBytes(StandardCharsets.UTF_8);
                yield new Prepared("/webhooks/calcom", "application/json", body,
                        List.of("X-Cal-Signature-256", HexFormat.of().formatHex(WebhookClient.hmac(signing.secrets().calcom(), body))));
            }
            case MAILGUN -> {
                StringBuilder form = new StringBuilder();
                SampleLeads.mailgunEmail(id + "@mail." + p.emailDomain(), p).forEach((k, v) -> append(form, k, v));
                String timestamp = Long.toString(now.getEpochSecond());
                String token = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "").substring(0, 18);
                append(form, "timestamp", timestamp);
                append(form, "token", token);
                append(form, "signature", HexFormat.of().formatHex(WebhookClient.hmac(signing.secrets().mailgun(),
                        (timestamp + token).getBytes(StandardCharsets.UTF_8))));
                yield new Prepared("/webhooks/email/mailgun", "application/x-www-form-urlencoded", form.toString().getBytes(StandardCharsets.UTF_8), List.of());
            }
            case SENDGRID -> {
                String boundary = "----chaos" + UUID.randomUUID().toString().replace("-", "");
                byte[] body = sendGridParse(boundary, id + "@mail." + p.emailDomain(), p);
                String timestamp = Long.toString(now.getEpochSecond());
                yield new Prepared("/webhooks/email/sendgrid", "multipart/form-data; boundary=" + boundary, body,
                        List.of("X-Twilio-Email-Event-Webhook-Signature", signing.sendGridSignature(timestamp, body),
                                "X-Twilio-Email-Event-Webhook-Timestamp", timestamp));
            }
        };
    }

    /** SendGrid Inbound Parse's default (not raw) fields, as multipart/form-data with CRLF line ends. */
    private static byte[] sendGridParse(String boundary, String messageId, SampleLeads.Persona p) {
        Map<String, String> mail = SampleLeads.mailgunEmail(messageId, p);
        String from = mail.get("from");
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("headers", "MIME-Version: 1.0\r\nFrom: " + from + "\r\nDate: " + java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)) + "\r\nMessage-ID: <" + messageId + ">\r\nSubject: "
                + mail.get("subject") + "\r\nTo: hey@posthog.example\r\nContent-Type: text/plain; charset=UTF-8");
        fields.put("to", "hey@posthog.example");
        fields.put("from", from);
        fields.put("subject", mail.get("subject"));
        fields.put("text", mail.get("body-plain"));
        fields.put("sender_ip", "209.85.220.41");
        fields.put("envelope", "{\"to\":[\"hey@posthog.example\"],\"from\":\"" + p.email() + "\"}");
        fields.put("charsets", "{\"to\":\"UTF-8\",\"subject\":\"UTF-8\",\"from\":\"UTF-8\",\"text\":\"UTF-8\"}");
        fields.put("SPF", "pass");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fields.forEach((name, value) -> out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n"
                + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static void append(StringBuilder form, String key, String value) {
        if (!form.isEmpty()) {
            form.append('&');
        }
        form.append(URLEncoder.encode(key, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    private static Duration seconds(String retryAfter) {
        try {
            return Duration.ofSeconds(Long.parseLong(retryAfter.trim()));
        } catch (NumberFormatException e) {
            return Duration.ZERO;
        }
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
