package io.leadflow.localstack.demo;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Realistic webhook bodies for the four lead sources, built from a handful of personas that between them
 * cover both pipelines, both reps, YC, EU and US, a group demo, an MSA and an air-gapped install.
 */
public final class SampleLeads {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SampleLeads() {
    }

    /**
     * Someone who asks for a demo or writes in.
     *
     * @param needs website-form need codes ({@code sso}, {@code self-hosting}, {@code msa}, {@code air-gapped}, ...)
     */
    public record Persona(String firstName, String lastName, String emailDomain, String company, String country, String title,
                          String planInterest, long monthlyActiveUsers, long monthlyEvents, List<String> needs,
                          boolean yCombinator, boolean groupDemo, String message) {

        public String email() {
            return (firstName + "." + lastName).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z.]", "") + "@" + emailDomain;
        }

        /** The same persona at another company, so a demo feed does not repeat the same account forever. */
        public Persona at(String otherCompany, String otherDomain) {
            return new Persona(firstName, lastName, otherDomain, otherCompany, country, title, planInterest, monthlyActiveUsers,
                    monthlyEvents, needs, yCombinator, groupDemo, message);
        }
    }

    /** Enterprise in Germany, 60M events, SSO, self-hosting and an MSA: hands-on, the EU/Enterprise rep. */
    public static final Persona ENTERPRISE_EU = new Persona("Jana", "Weber", "nordwind-analytics.de", "Nordwind Analytics",
            "Germany", "Head of Data Engineering", "enterprise", 400_000, 60_000_000, List.of("sso", "self-hosting", "msa"),
            false, false, "We spend well over $15k a month on analytics today and need an MSA and SSO.");
    /** A YC startup in the US on Scale, 5M events, privacy needs: self-serve, the US rep. */
    public static final Persona YC_SCALE_US = new Persona("Priya", "Shah", "loopcart.io", "Loopcart", "United States",
            "CTO", "scale", 40_000, 5_000_000, List.of("privacy-compliance"), true, false,
            "YC W26 batch. We want to self-serve but need to keep PII in our own region.");
    /** A US Scale customer booking a demo with 120M events and SSO. */
    public static final Persona SCALE_US_DEMO = new Persona("Marcus", "Reed", "globex.io", "Globex", "United States",
            "VP Engineering", "scale", 900_000, 120_000_000, List.of("sso"), false, false,
            "Evaluating the Scale plan; we need SAML SSO.");
    /** A group-demo booking from France, self-hosting for HIPAA. */
    public static final Persona GROUP_DEMO_EU = new Persona("Chloe", "Martin", "initech.fr", "Initech SAS", "France",
            "Product Manager", "cloud", 20_000, 3_000_000, List.of("self-hosting", "privacy-compliance"), false, true,
            "We want to self-host because of HIPAA. Around 3M events a month.");
    /** An email from a large company wanting Enterprise, an air-gapped install and invoicing. */
    public static final Persona AIR_GAPPED = new Persona("Gavin", "Belson", "hooli.xyz", "Hooli", "United States",
            "Director of Platform", "enterprise", 2_000_000, 80_000_000, List.of("sso", "air-gapped", "invoicing"), false, false,
            "Our environment has no internet access, so it would have to be air-gapped. We pay by invoice.");
    /** A small UK team on Cloud: self-serve, round-robin. */
    public static final Persona CLOUD_SMALL = new Persona("Tom", "Hughes", "brightpath.co.uk", "Brightpath", "United Kingdom",
            "Marketing Lead", "cloud", 8_000, 400_000, List.of(), false, false, "Just getting started, is the free tier enough?");

    public static final List<Persona> PERSONAS = List.of(ENTERPRISE_EU, YC_SCALE_US, SCALE_US_DEMO, GROUP_DEMO_EU, AIR_GAPPED, CLOUD_SMALL);

    /** The website contact form's JSON. */
    public static String websiteForm(String submissionId, Persona p, Instant submittedAt) {
        ObjectNode form = JSON.createObjectNode();
        form.put("submissionId", submissionId);
        form.put("submittedAt", submittedAt.truncatedTo(ChronoUnit.SECONDS).toString());
        form.put("email", p.email());
        form.put("firstName", p.firstName());
        form.put("lastName", p.lastName());
        form.put("company", p.company());
        form.put("website", "https://www." + p.emailDomain());
        form.put("country", p.country());
        form.put("title", p.title());
        form.put("planInterest", p.planInterest());
        form.put("monthlyActiveUsers", p.monthlyActiveUsers());
        form.put("monthlyEvents", p.monthlyEvents());
        ArrayNode needs = form.putArray("needs");
        p.needs().forEach(needs::add);
        form.put("yCombinator", p.yCombinator());
        form.put("groupDemo", p.groupDemo());
        form.put("message", p.message());
        ObjectNode utm = form.putObject("utm");
        utm.put("utm_source", "website");
        utm.put("utm_campaign", "pricing-page");
        return form.toString();
    }

    /** Calendly's {@code invitee.created} webhook for a demo booked {@code startsAt}. */
    public static String calendlyBooking(String inviteeId, Persona p, Instant startsAt) {
        String event = "https://api.calendly.com/scheduled_events/LF" + Integer.toHexString(inviteeId.hashCode()).toUpperCase(java.util.Locale.ROOT);
        ObjectNode root = JSON.createObjectNode();
        root.put("created_at", Instant.now().toString());
        root.put("created_by", "https://api.calendly.com/users/LEADFLOWLOCAL");
        root.put("event", "invitee.created");
        ObjectNode payload = root.putObject("payload");
        payload.put("cancel_url", "https://calendly.com/cancellations/" + inviteeId);
        payload.put("created_at", Instant.now().toString());
        payload.put("email", p.email());
        payload.put("event", event);
        payload.put("name", p.firstName() + " " + p.lastName());
        payload.putNull("first_name");
        payload.putNull("last_name");
        ArrayNode answers = payload.putArray("questions_and_answers");
        answer(answers, 0, "Company name", p.company());
        answer(answers, 1, "Which country are you in?", p.country());
        answer(answers, 2, "How many events do you send per month?", words(p.monthlyEvents()));
        answer(answers, 3, "Anything we should know?", p.message() + (p.yCombinator() ? " We're a YC company." : "")
                + (p.needs().contains("sso") ? " We need SSO." : ""));
        payload.put("reschedule_url", "https://calendly.com/reschedulings/" + inviteeId);
        payload.put("rescheduled", false);
        payload.put("status", "active");
        payload.put("timezone", "America/New_York");
        ObjectNode tracking = payload.putObject("tracking");
        tracking.put("utm_campaign", "pricing");
        tracking.put("utm_source", "website");
        payload.put("uri", event + "/invitees/" + inviteeId);
        ObjectNode scheduled = payload.putObject("scheduled_event");
        scheduled.put("uri", event);
        scheduled.put("name", p.groupDemo() ? "PostHog group demo" : "PostHog demo");
        scheduled.put("status", "active");
        scheduled.put("start_time", startsAt.toString());
        scheduled.put("end_time", startsAt.plus(30, ChronoUnit.MINUTES).toString());
        scheduled.put("event_type", "https://api.calendly.com/event_types/LEADFLOWDEMO");
        ObjectNode location = scheduled.putObject("location");
        location.put("type", "google_conference");
        location.put("status", "pushed");
        location.put("join_url", "https://meet.google.com/lfd-" + Math.abs(inviteeId.hashCode() % 10000));
        return root.toString();
    }

    /** Cal.com's {@code BOOKING_CREATED} webhook. */
    public static String calcomBooking(String uid, Persona p, Instant startsAt) {
        ObjectNode root = JSON.createObjectNode();
        root.put("triggerEvent", "BOOKING_CREATED");
        root.put("createdAt", Instant.now().toString());
        ObjectNode payload = root.putObject("payload");
        payload.put("type", p.groupDemo() ? "group-demo" : "demo");
        payload.put("title", (p.groupDemo() ? "Group demo" : "Demo") + " between PostHog and " + p.firstName() + " " + p.lastName());
        payload.put("description", "");
        payload.put("additionalNotes", p.message());
        payload.putObject("customInputs");
        payload.put("startTime", startsAt.toString());
        payload.put("endTime", startsAt.plus(45, ChronoUnit.MINUTES).toString());
        ObjectNode organizer = payload.putObject("organizer");
        organizer.put("id", 5);
        organizer.put("name", "Sales");
        organizer.put("email", "sales@posthog.example");
        organizer.put("timeZone", "Europe/London");
        ObjectNode responses = payload.putObject("responses");
        response(responses, "name", "your_name", p.firstName() + " " + p.lastName());
        response(responses, "email", "email_address", p.email());
        response(responses, "notes", "additional_notes", p.message());
        response(responses, "company", "Company", p.company());
        response(responses, "country", "Country", p.country());
        response(responses, "events", "Monthly events", words(p.monthlyEvents()));
        ArrayNode attendees = payload.putArray("attendees");
        ObjectNode attendee = attendees.addObject();
        attendee.put("email", p.email());
        attendee.put("name", p.firstName() + " " + p.lastName());
        attendee.put("timeZone", "Europe/Paris");
        payload.put("location", "integrations:daily");
        payload.put("uid", uid);
        payload.put("bookingId", Math.abs(uid.hashCode() % 100000));
        payload.putObject("metadata").put("videoCallUrl", "https://app.cal.com/video/" + uid);
        payload.put("status", "ACCEPTED");
        return root.toString();
    }

    /** Mailgun's forwarded message fields (without the signature fields). */
    public static Map<String, String> mailgunEmail(String messageId, Persona p) {
        StringBuilder body = new StringBuilder("Hi team,\n\n");
        body.append("We're evaluating PostHog at ").append(p.company()).append(". ");
        body.append("We send roughly ").append(words(p.monthlyEvents())).append(" events per month");
        if (!p.planInterest().equals("unsure")) {
            body.append(" and are interested in the ").append(p.planInterest()).append(" plan");
        }
        body.append(".\n");
        if (p.needs().contains("sso")) {
            body.append("We need SSO. ");
        }
        if (p.needs().contains("msa")) {
            body.append("Legal will want an MSA. ");
        }
        body.append(p.message()).append("\n\nThanks,\n").append(p.firstName());
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("recipient", "sales@posthog.example");
        fields.put("sender", p.email());
        fields.put("from", p.firstName() + " " + p.lastName() + " <" + p.email() + ">");
        fields.put("subject", "Evaluating PostHog at " + p.company());
        fields.put("body-plain", body.toString());
        fields.put("stripped-text", body.toString().strip());
        fields.put("Message-Id", "<" + messageId + ">");
        fields.put("message-headers", "[[\"Message-Id\", \"<" + messageId + ">\"], [\"Subject\", \"Evaluating PostHog at "
                + p.company() + "\"]]");
        fields.put("attachment-count", "0");
        return fields;
    }

    private static void answer(ArrayNode answers, int position, String question, String answer) {
        ObjectNode a = answers.addObject();
        a.put("answer", answer);
        a.put("position", position);
        a.put("question", question);
    }

    private static void response(ObjectNode responses, String key, String label, String value) {
        ObjectNode r = responses.putObject(key);
        r.put("label", label);
        r.put("value", value);
    }

    /** 60000000 → "60 million", 400000 → "400 thousand" (the way people write in). */
    static String words(long n) {
        if (n >= 1_000_000 && n % 1_000_000 == 0) {
            return (n / 1_000_000) + " million";
        }
        if (n >= 1_000 && n % 1_000 == 0) {
            return (n / 1_000) + " thousand";
        }
        return Long.toString(n);
    }
}
