package io.leadflow.intake;

import io.leadflow.intake.Hostile.Cases;
import io.leadflow.intake.Hostile.Expect;
import io.leadflow.intake.Hostile.Request;
import io.leadflow.intake.Mutations.Kind;
import io.leadflow.intake.Mutations.Mutated;
import io.leadflow.intake.calendar.CalendarBodies;
import io.leadflow.intake.email.MailgunFields;
import io.leadflow.intake.signature.Hmac;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static io.leadflow.intake.Mutations.ONE_MIB;

/**
 * Every webhook under hostile requests, signed as its provider signs them so that each reaches the parser: the payload
 * the endpoint's own tests post, mutated field by field (other types, nulls, removals, huge numbers, long, right-to-left,
 * emoji, NUL, CRLF and unpaired-surrogate text, bodies filled to the size limit), and JSON bodies broken in structure
 * (cut short, nested 100,000 deep, duplicate keys, invalid UTF-8, other encodings, over the limit). What every answer
 * must satisfy is {@link Hostile}'s: never a 5xx, a 4xx is problem+json naming the field, and nothing is published for
 * a rejected request. The draws are seeded ({@link Seeded}); every endpoint's answers are written to
 * {@code target/hostile-requests/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileRequestsTests extends IntakeIntegrationTest {

    /** How many field mutations a JSON endpoint gets: every kind on its two key paths, and a seeded sample for the rest. */
    static final int PER_ENDPOINT = 60;
    static final int JSON_LIMIT = ONE_MIB;
    /** {@code leadflow.intake.max-email-body} in the tests' context. */
    static final int EMAIL_LIMIT = 2 * ONE_MIB;

    @Autowired
    ObjectMapper json;

    private final Map<String, Hostile> hostiles = new LinkedHashMap<>();

    @AfterAll
    void report() {
        hostiles.forEach((suite, hostile) -> hostile.closeAndReport(suite));
    }

    private Hostile hostile(String suite, Supplier<Request> control) {
        return hostiles.computeIfAbsent(suite, s -> new Hostile(webhooks(), published(), json, control.get()));
    }

    // --- website form ---------------------------------------------------------------------------

    static final String WEBSITE = "/webhooks/website";
    static final String WEBSITE_HEADER = "X-Leadflow-Signature";

    /** The form as the website posts it (the one WebsiteWebhookTests posts), with a fresh submission id. */
    static String websiteForm() {
        return """
                {
                  "submissionId": "fuzz-%s",
                  "submittedAt": "2026-01-05T14:03:00Z",
                  "email": "  Jane.Doe@Acme.COM ",
                  "firstName": "Jane",
                  "lastName": "Doe",
                  "company": "Acme Analytics",
                  "website": "https://www.acme.com/about",
                  "country": "Deutschland",
                  "title": "Head of Engineering",
                  "planInterest": "enterprise",
                  "monthlyActiveUsers": 250000,
                  "monthlyEvents": "60m",
                  "needs": ["sso", "self-hosting", "msa"],
                  "yCombinator": false,
                  "groupDemo": false,
                  "message": "We have to stay GDPR compliant.",
                  "utm": {"utm_source": "google", "utm_campaign": "brand"}
                }
                """.formatted(UUID.randomUUID());
    }

    static Request website(String label, String contentType, byte[] body, Expect expect) {
        return new Request(label, WEBSITE, contentType, body, expect,
                WEBSITE_HEADER, Webhooks.timestamped(Webhooks.WEBSITE_SECRET, Instant.now().getEpochSecond(), body));
    }

    static Request website(String label, byte[] body, Expect expect) {
        return website(label, "application/json", body, expect);
    }

    private Hostile websiteHostile() {
        return hostile("website", () -> website("control", utf8(websiteForm()), Expect.acceptedOrNaming()));
    }

    @TestFactory
    Stream<DynamicTest> websiteFormMutatedFieldByField() {
        return websiteHostile().tests(HostileJson.fieldByField(json, HostileRequestsTests::websiteForm,
                Set.of("email", "monthlyEvents"), Set.of("submissionId", "email"),
                JSON_LIMIT, PER_ENDPOINT, Seeded.forName("website.fields", 0), HostileRequestsTests::website));
    }

    @TestFactory
    Stream<DynamicTest> websiteFormBrokenBodies() {
        Cases cases = new Cases();
        cases.addAll(HostileJson.brokenBodies(json, HostileRequestsTests::websiteForm, "email", "", JSON_LIMIT,
                Seeded.forName("website.bodies", 0), HostileRequestsTests::website));
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=b")) {
            cases.add(() -> website("Content-Type " + type, type, utf8(websiteForm()), Expect.rejected(415, "Content-Type")));
        }
        cases.add(() -> website("no Content-Type", null, utf8(websiteForm()), Expect.rejected(415, "Content-Type")));
        for (String type : List.of("application/json; charset=UTF-16", "application/json; charset=nope", "APPLICATION/JSON")) {
            cases.add(() -> website("Content-Type " + type, type, utf8(websiteForm()), Expect.acceptedOrNaming("Content-Type")));
        }
        return websiteHostile().tests(Hostile.lazily(cases));
    }

    @TestFactory
    Stream<DynamicTest> websiteSignaturesThatMustNotHold() {
        return websiteHostile().tests(Hostile.lazily(timestampedSignatures(WEBSITE, WEBSITE_HEADER, Webhooks.WEBSITE_SECRET,
                HostileRequestsTests::websiteForm)));
    }

    /**
     * Signatures that must not hold on an endpoint signed {@code t=<unix s>,v1=<hex HMAC of "t.body">}, each 401 naming
     * the header: missing, malformed, another secret, too old (five minutes), from the future, over another body.
     */
    static Cases timestampedSignatures(String path, String header, String secret, Supplier<String> document) {
        Cases cases = new Cases();
        Expect refused = Expect.rejected(401, header);
        cases.add(() -> new Request("signature missing", path, "application/json", utf8(document.get()), refused));
        for (String malformed : MALFORMED) {
            cases.add(() -> {
                byte[] body = utf8(document.get());
                long now = Instant.now().getEpochSecond();
                String good = Webhooks.timestamped(secret, now, body);
                String sent = malformed.replace("NOW", Long.toString(now)).replace("HEX", good.substring(good.indexOf("v1=") + 3));
                return new Request("signature " + abbreviate(malformed), path, "application/json", body, refused, header, sent);
            });
        }
        cases.add(() -> signedWith("signature with another secret", path, header, "not-the-secret", 0, document, refused));
        cases.add(() -> signedWith("signature 330 s old", path, header, secret, -330, document, refused));
        cases.add(() -> signedWith("signature 330 s in the future", path, header, secret, 330, document, refused));
        cases.add(() -> {
            byte[] body = utf8(document.get());
            return new Request("valid signature over another body", path, "application/json", body, refused,
                    header, Webhooks.timestamped(secret, Instant.now().getEpochSecond(), utf8(document.get())));
        });
        cases.add(() -> {
            String text = document.get();
            String good = Webhooks.timestamped(secret, Instant.now().getEpochSecond(), utf8(text));
            return new Request("valid signature, body with CRLF line ends", path, "application/json", utf8(text.replace("\n", "\r\n")),
                    refused, header, good);
        });
        return cases;
    }

    /** Malformed signature headers; NOW and HEX stand for the current time and a valid signature of the body. */
    static final List<String> MALFORMED = List.of("", " ", "garbage", "t=,v1=", "t=abc,v1=HEX", "t=NOW", "v1=HEX", "t=NOW,v1=zz",
            "t=NOW,v1=0HEX", "t=" + "9".repeat(25) + ",v1=HEX", "t=-NOW,v1=HEX", "t=NOW;v1=HEX", "T=NOW,V1=HEX",
            "t=NOW,v1=" + "ab".repeat(3_500));

    private static Request signedWith(String label, String path, String header, String secret, long offsetSeconds,
                                      Supplier<String> document, Expect expect) {
        byte[] body = utf8(document.get());
        return new Request(label, path, "application/json", body, expect,
                header, Webhooks.timestamped(secret, Instant.now().getEpochSecond() + offsetSeconds, body));
    }

    // --- Calendly -------------------------------------------------------------------------------

    static final String CALENDLY = "/webhooks/calendly";

    static String calendlyBooking() {
        return CalendarBodies.calendly("invitee.created", UUID.randomUUID().toString(), null, "2026-01-05T15:00:00.000000Z");
    }

    static Request calendly(String label, byte[] body, Expect expect) {
        return new Request(label, CALENDLY, "application/json", body, expect,
                "Calendly-Webhook-Signature", Webhooks.timestamped(Webhooks.CALENDLY_KEY, Instant.now().getEpochSecond(), body));
    }

    private Hostile calendlyHostile() {
        return hostile("calendly", () -> calendly("control", utf8(calendlyBooking()), Expect.acceptedOrNaming()));
    }

    @TestFactory
    Stream<DynamicTest> calendlyBookingMutatedFieldByField() {
        return calendlyHostile().tests(HostileJson.fieldByField(json, HostileRequestsTests::calendlyBooking,
                Set.of("payload.email", "payload.questions_and_answers[2].answer"),
                Set.of("event", "payload.uri", "payload.email"),
                JSON_LIMIT, PER_ENDPOINT, Seeded.forName("calendly.fields", 0), HostileRequestsTests::calendly));
    }

    @TestFactory
    Stream<DynamicTest> calendlyBrokenBodies() {
        return calendlyHostile().tests(Hostile.lazily(HostileJson.brokenBodies(json, HostileRequestsTests::calendlyBooking, "event", "",
                JSON_LIMIT, Seeded.forName("calendly.bodies", 0), HostileRequestsTests::calendly)));
    }

    // --- Cal.com --------------------------------------------------------------------------------

    static final String CALCOM = "/webhooks/calcom";

    static String calcomBooking() {
        return CalendarBodies.calcom("BOOKING_CREATED", "fuzz-" + UUID.randomUUID(), null, "2026-01-06T09:00:00Z");
    }

    static Request calcom(String label, byte[] body, Expect expect) {
        return new Request(label, CALCOM, "application/json", body, expect, "X-Cal-Signature-256", Hmac.sha256Hex(Webhooks.CALCOM_SECRET, body));
    }

    private Hostile calcomHostile() {
        return hostile("calcom", () -> calcom("control", utf8(calcomBooking()), Expect.acceptedOrNaming()));
    }

    @TestFactory
    Stream<DynamicTest> calcomBookingMutatedFieldByField() {
        return calcomHostile().tests(HostileJson.fieldByField(json, HostileRequestsTests::calcomBooking,
                Set.of("payload.uid", "payload.responses.email.value"),
                Set.of("triggerEvent", "payload", "payload.uid"),
                JSON_LIMIT, PER_ENDPOINT, Seeded.forName("calcom.fields", 0), HostileRequestsTests::calcom));
    }

    @TestFactory
    Stream<DynamicTest> calcomBrokenBodies() {
        return calcomHostile().tests(Hostile.lazily(HostileJson.brokenBodies(json, HostileRequestsTests::calcomBooking, "triggerEvent", "",
                JSON_LIMIT, Seeded.forName("calcom.bodies", 0), HostileRequestsTests::calcom)));
    }

    // --- HubSpot --------------------------------------------------------------------------------

    static final String HUBSPOT = "/webhooks/hubspot";

    /** A batch as HubSpotWebhookTests posts it: a deal-stage change, another property's change, a contact's creation. */
    static String hubSpotBatch() {
        long eventId = Math.floorMod(UUID.randomUUID().getMostSignificantBits(), Long.MAX_VALUE / 2) + 1;
        long dealId = Math.floorMod(UUID.randomUUID().getLeastSignificantBits(), 9_000_000L) + 1_000_000;
        return """
                [
                  {"eventId": %d, "subscriptionId": 2148931, "portalId": 62515, "appId": 1160452,
                   "occurredAt": 1767607200000, "subscriptionType": "deal.propertyChange", "attemptNumber": 0,
                   "objectId": %d, "changeSource": "CRM_UI", "propertyName": "dealstage", "propertyValue": "evaluation"},
                  {"eventId": %d, "subscriptionId": 2148932, "portalId": 62515, "appId": 1160452,
                   "occurredAt": 1767607200001, "subscriptionType": "deal.propertyChange", "attemptNumber": 0,
                   "objectId": %d, "changeSource": "CRM_UI", "propertyName": "amount", "propertyValue": "12000"},
                  {"eventId": %d, "subscriptionId": 2148933, "portalId": 62515, "appId": 1160452,
                   "occurredAt": 1767607200002, "subscriptionType": "contact.creation", "attemptNumber": 0,
                   "objectId": 901, "changeSource": "CRM"}
                ]
                """.formatted(eventId, dealId, eventId + 1, dealId, eventId + 2);
    }

    Request hubSpot(String label, byte[] body, Expect expect) {
        String timestamp = Long.toString(Instant.now().toEpochMilli());
        return new Request(label, HUBSPOT, "application/json", body, expect,
                "X-HubSpot-Signature-v3", webhooks().hubSpotSignature(Webhooks.HUBSPOT_SECRET, HUBSPOT, body, timestamp),
                "X-HubSpot-Request-Timestamp", timestamp);
    }

    private Hostile hubSpotHostile() {
        return hostile("hubspot", () -> hubSpot("control", utf8(hubSpotBatch()), Expect.acceptedOrNaming()));
    }

    @TestFactory
    Stream<DynamicTest> hubSpotBatchMutatedFieldByField() {
        return hubSpotHostile().tests(HostileJson.fieldByField(json, HostileRequestsTests::hubSpotBatch,
                Set.of("[0].eventId", "[0].propertyValue"),
                Set.of("[0].eventId", "[0].objectId", "[0].subscriptionType", "[0].propertyValue"),
                JSON_LIMIT, PER_ENDPOINT, Seeded.forName("hubspot.fields", 0), this::hubSpot));
    }

    @TestFactory
    Stream<DynamicTest> hubSpotBrokenBodies() {
        return hubSpotHostile().tests(Hostile.lazily(HostileJson.brokenBodies(json, HostileRequestsTests::hubSpotBatch, "subscriptionType",
                "[0].", JSON_LIMIT, Seeded.forName("hubspot.bodies", 0), this::hubSpot)));
    }

    // --- Mailgun --------------------------------------------------------------------------------

    static final String MAILGUN = "/webhooks/email/mailgun";
    /** The fields Mailgun signs with; mutating them is a signature test, not a payload test. */
    static final Set<String> MAILGUN_SIGNATURE = Set.of("timestamp", "token", "signature");

    static Map<String, String> mailgunFields() {
        return MailgunFields.mailgunFields(UUID.randomUUID() + "@mail.hooli.xyz", Webhooks.newToken(), Instant.now());
    }

    private Hostile mailgunHostile() {
        return hostile("mailgun", () -> new Request("control", MAILGUN, "application/x-www-form-urlencoded",
                Webhooks.urlEncoded(mailgunFields()), Expect.acceptedOrNaming()));
    }

    @TestFactory
    Stream<DynamicTest> mailgunEmailMutatedFieldByField() {
        Seeded random = Seeded.forName("mailgun.fields", 0);
        List<String> names = mailgunFields().keySet().stream().filter(name -> !MAILGUN_SIGNATURE.contains(name)).toList();
        Cases cases = new Cases();
        for (Map.Entry<String, Kind> mutation : formMutations(names, Set.of("message-headers"), random)) {
            boolean multipart = random.chance(0.5);
            cases.add(() -> {
                String boundary = "----hostile" + UUID.randomUUID().toString().replace("-", "");
                Function<Map<String, byte[]>, byte[]> encode = multipart ? fields -> Mutations.multipart(boundary, fields) : Mutations::urlEncoded;
                Mutated mutated = Mutations.mutateForm(mailgunFields(), mutation.getKey(), mutation.getValue(), EMAIL_LIMIT, random, encode);
                return new Request(mutated.label() + (multipart ? " (multipart)" : " (urlencoded)"), MAILGUN,
                        multipart ? "multipart/form-data; boundary=" + boundary : "application/x-www-form-urlencoded", mutated.body(),
                        formExpect(mutated, EMAIL_LIMIT));
            });
        }
        return mailgunHostile().tests(Hostile.lazily(cases));
    }

    // --- SendGrid -------------------------------------------------------------------------------

    static final String SENDGRID = "/webhooks/email/sendgrid";

    /** The text fields of SendGrid's Inbound Parse post (the one EmailWebhookTests posts, without its attachment). */
    static Map<String, String> sendGridFields() {
        String messageId = UUID.randomUUID() + "@mail.hooli.xyz";
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("headers", "Received: by mx0047p1mdw1.sendgrid.net\r\nMIME-Version: 1.0\r\n"
                + "From: Gavin Belson <gavin@hooli.xyz>\r\nDate: Mon, 5 Jan 2026 10:11:12 +0100\r\n"
                + "Message-ID: <" + messageId + ">\r\nSubject: Enterprise evaluation\r\n"
                + "To: hey@posthog.example\r\nContent-Type: multipart/alternative; boundary=\"000\"");
        fields.put("dkim", "{@hooli.xyz : pass}");
        fields.put("to", "hey@posthog.example");
        fields.put("from", "Gavin Belson <gavin@hooli.xyz>");
        fields.put("subject", "Enterprise evaluation");
        fields.put("text", MailgunFields.BODY);
        fields.put("html", "<p>" + MailgunFields.BODY + "</p>");
        fields.put("sender_ip", "209.85.220.41");
        fields.put("envelope", "{\"to\":[\"hey@posthog.example\"],\"from\":\"gavin@hooli.xyz\"}");
        fields.put("attachments", "0");
        fields.put("charsets", "{\"to\":\"UTF-8\",\"html\":\"UTF-8\",\"subject\":\"UTF-8\",\"from\":\"UTF-8\",\"text\":\"UTF-8\"}");
        fields.put("SPF", "pass");
        return fields;
    }

    static Request sendGrid(String label, String boundary, byte[] body, Expect expect) {
        String timestamp = Webhooks.now();
        return new Request(label, SENDGRID, "multipart/form-data; boundary=" + boundary, body, expect,
                "X-Twilio-Email-Event-Webhook-Signature", Webhooks.sendGridSignature(timestamp, body),
                "X-Twilio-Email-Event-Webhook-Timestamp", timestamp);
    }

    private Hostile sendGridHostile() {
        return hostile("sendgrid", () -> {
            Map<String, byte[]> fields = new LinkedHashMap<>();
            sendGridFields().forEach((name, value) -> fields.put(name, utf8(value)));
            return sendGrid("control", "b0undary", Mutations.multipart("b0undary", fields), Expect.acceptedOrNaming());
        });
    }

    @TestFactory
    Stream<DynamicTest> sendGridEmailMutatedFieldByField() {
        Seeded random = Seeded.forName("sendgrid.fields", 0);
        Cases cases = new Cases();
        for (Map.Entry<String, Kind> mutation : formMutations(List.copyOf(sendGridFields().keySet()), Set.of("envelope", "charsets"), random)) {
            cases.add(() -> {
                String boundary = "----hostile" + UUID.randomUUID().toString().replace("-", "");
                Mutated mutated = Mutations.mutateForm(sendGridFields(), mutation.getKey(), mutation.getValue(), EMAIL_LIMIT, random,
                        fields -> Mutations.multipart(boundary, fields));
                return sendGrid(mutated.label(), boundary, mutated.body(), formExpect(mutated, EMAIL_LIMIT));
            });
        }
        return sendGridHostile().tests(Hostile.lazily(cases));
    }

    // --- forms ----------------------------------------------------------------------------------

    /** Each field removed and emptied, and two more kinds drawn for it; now and then a heavy one. */
    static List<Map.Entry<String, Kind>> formMutations(List<String> names, Set<String> jsonValued, Seeded random) {
        List<Map.Entry<String, Kind>> chosen = new ArrayList<>();
        for (String name : names) {
            List<Kind> kinds = new ArrayList<>(Mutations.formKinds(jsonValued.contains(name)));
            Set<Kind> picked = EnumSet.of(Kind.REMOVED, Kind.EMPTY);
            List<Kind> light = kinds.stream().filter(k -> !Kind.HEAVY.contains(k) && !picked.contains(k)).toList();
            for (int i = 0; i < 2; i++) {
                picked.add(random.element(light));
            }
            if (random.chance(0.25)) {
                picked.add(random.element(List.copyOf(Kind.HEAVY)));
            }
            picked.forEach(kind -> chosen.add(Map.entry(name, kind)));
        }
        return chosen;
    }

    /** A mutated form is accepted, or rejected naming its field (or, past the size limit, 413 naming the body). */
    static Expect formExpect(Mutated mutated, int limit) {
        return mutated.body().length > limit ? Expect.rejected(413, "body") : Expect.acceptedOrNaming(mutated.field());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String abbreviate(String s) {
        return "'" + (s.length() > 60 ? s.substring(0, 60) + "… (" + s.length() + " chars)" : s) + "'";
    }
}
