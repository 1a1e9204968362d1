package io.leadflow.intake.calendar;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadSource;
import io.leadflow.avro.Need;
import io.leadflow.avro.PlanInterest;
import io.leadflow.avro.Region;
import io.leadflow.intake.IntakeIntegrationTest;
import io.leadflow.intake.Webhooks;
import io.leadflow.schemas.LeadIds;
import io.leadflow.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.ObjectMapper;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Demo bookings from Calendly (webhook v2) and Cal.com, with payloads shaped as their docs show. */
class CalendarWebhookTests extends IntakeIntegrationTest {

    @Autowired
    ObjectMapper json;

    static String calendly(String event, String invitee) {
        return """
                {
                  "created_at": "2026-01-02T09:15:21.000000Z",
                  "created_by": "https://api.calendly.com/users/AAAAAAAAAAAAAAAA",
                  "event": "%s",
                  "payload": {
                    "cancel_url": "https://calendly.com/cancellations/%s",
                    "created_at": "2026-01-02T09:15:20.318000Z",
                    "email": "Bob.Smith@Globex.io",
                    "event": "https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2",
                    "first_name": null,
                    "last_name": null,
                    "name": "Bob Smith",
                    "new_invitee": null,
                    "old_invitee": null,
                    "questions_and_answers": [
                      {"answer": "Globex", "position": 0, "question": "Company name"},
                      {"answer": "United States", "position": 1, "question": "Which country are you in?"},
                      {"answer": "about 120 million", "position": 2, "question": "How many events do you send per month?"},
                      {"answer": "Evaluating the Scale plan; we need SAML SSO and we're a YC company.", "position": 3,
                       "question": "Anything we should know?"}
                    ],
                    "reschedule_url": "https://calendly.com/reschedulings/%s",
                    "rescheduled": false,
                    "status": "%s",
                    "text_reminder_number": null,
                    "timezone": "America/New_York",
                    "tracking": {"utm_campaign": "pricing", "utm_source": "website", "utm_medium": null,
                                 "utm_content": null, "utm_term": null, "salesforce_uuid": null},
                    "updated_at": "2026-01-02T09:15:20.318000Z",
                    "uri": "https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2/invitees/%s",
                    "scheduled_event": {
                      "uri": "https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2",
                      "name": "PostHog demo",
                      "status": "active",
                      "start_time": "2026-01-05T15:00:00.000000Z",
                      "end_time": "2026-01-05T15:30:00.000000Z",
                      "event_type": "https://api.calendly.com/event_types/GBGBDCAADAEDCRZ2",
                      "location": {"type": "google_conference", "status": "pushed",
                                   "join_url": "https://meet.google.com/abc-defg-hij"},
                      "invitees_counter": {"total": 1, "active": 1, "limit": 1},
                      "created_at": "2026-01-02T09:15:20.000000Z",
                      "updated_at": "2026-01-02T09:15:20.000000Z",
                      "event_memberships": [{"user": "https://api.calendly.com/users/AAAAAAAAAAAAAAAA"}],
                      "event_guests": []
                    }
                  }
                }
                """.formatted(event, invitee, invitee, event.equals("invitee.canceled") ? "canceled" : "active", invitee);
    }

    static String calcom(String uid) {
        return """
                {
                  "triggerEvent": "BOOKING_CREATED",
                  "createdAt": "2026-01-02T10:00:00.000Z",
                  "payload": {
                    "type": "group-demo",
                    "title": "Group demo between PostHog and Chloé Martin",
                    "description": "",
                    "additionalNotes": "We want to self-host because of HIPAA. Around 5M events a month.",
                    "customInputs": {},
                    "startTime": "2026-01-06T09:00:00Z",
                    "endTime": "2026-01-06T09:45:00Z",
                    "organizer": {"id": 5, "name": "Sales", "email": "sales@posthog.example", "timeZone": "Europe/London",
                                  "language": {"locale": "en"}},
                    "responses": {
                      "name": {"label": "your_name", "value": "Chloé Martin"},
                      "email": {"label": "email_address", "value": "chloe@gmail.com"},
                      "location": {"label": "location", "value": {"optionValue": "", "value": "integrations:daily"}},
                      "notes": {"label": "additional_notes", "value": "We want to self-host because of HIPAA. Around 5M events a month."},
                      "guests": {"label": "additional_guests", "value": []},
                      "company": {"label": "Company", "value": "Initech SAS"},
                      "country": {"label": "Country", "value": "France"}
                    },
                    "userFieldsResponses": {},
                    "attendees": [{"email": "chloe@gmail.com", "name": "Chloé Martin", "timeZone": "Europe/Paris",
                                   "language": {"locale": "fr"}}],
                    "location": "integrations:daily",
                    "uid": "%s",
                    "bookingId": 91,
                    "metadata": {"videoCallUrl": "https://app.cal.com/video/%s"},
                    "status": "ACCEPTED"
                  }
                }
                """.formatted(uid, uid);
    }

    @Test
    void publishesACalendlyBookingWithItsDemoAndAnswers() {
        String invitee = UUID.randomUUID().toString();
        byte[] body = calendly("invitee.created", invitee).getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = webhooks().post("/webhooks/calendly", "application/json", body,
                "Calendly-Webhook-Signature", Webhooks.timestamped(Webhooks.CALENDLY_KEY, Instant.now().getEpochSecond(), body));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String uri = "https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2/invitees/" + invitee;
        String leadId = LeadIds.leadId("DEMO_BOOKING", uri);
        assertThat(json.readTree(response.body()).get("leadId").asString()).isEqualTo(leadId);
        LeadReceived lead = published().awaitValues(Topics.LEADS_RECEIVED, leadId, LeadReceived.class).get(0);
        assertThat(lead.getSource()).isEqualTo(LeadSource.DEMO_BOOKING);
        assertThat(lead.getSourceEventId()).isEqualTo(uri);
        assertThat(lead.getContact().getEmail()).isEqualTo("bob.smith@globex.io");
        assertThat(lead.getContact().getFirstName()).isEqualTo("Bob");
        assertThat(lead.getContact().getLastName()).isEqualTo("Smith");
        assertThat(lead.getContact().getCompanyName()).isEqualTo("Globex");
        assertThat(lead.getContact().getCompanyDomain()).isEqualTo("globex.io");
        assertThat(lead.getContact().getCountry()).isEqualTo("US");
        assertThat(lead.getContact().getRegion()).isEqualTo(Region.US);
        assertThat(lead.getPlanInterest()).isEqualTo(PlanInterest.SCALE);
        assertThat(lead.getMonthlyEvents()).isEqualTo(120_000_000L);
        assertThat(lead.getNeeds()).containsExactly(Need.SSO);
        assertThat(lead.getYCombinator()).isTrue();
        assertThat(lead.getDemo().getStartsAt()).isEqualTo(Instant.parse("2026-01-05T15:00:00Z"));
        assertThat(lead.getDemo().getEndsAt()).isEqualTo(Instant.parse("2026-01-05T15:30:00Z"));
        assertThat(lead.getDemo().getBookingUrl()).isEqualTo("https://meet.google.com/abc-defg-hij");
        assertThat(lead.getDemo().getProvider()).isEqualTo("calendly");
        assertThat(lead.getMessage()).contains("Company name: Globex", "Anything we should know?: Evaluating the Scale plan");
        assertThat(lead.getUtm()).containsEntry("campaign", "pricing").containsEntry("source", "website").hasSize(2);
    }

    @Test
    void acknowledgesACalendlyCancellationWithoutPublishing() {
        String invitee = UUID.randomUUID().toString();
        byte[] body = calendly("invitee.canceled", invitee).getBytes(StandardCharsets.UTF_8);
        long before = published().endOffsets(Topics.LEADS_RECEIVED);

        HttpResponse<String> response = webhooks().post("/webhooks/calendly", "application/json", body,
                "Calendly-Webhook-Signature", Webhooks.timestamped(Webhooks.CALENDLY_KEY, Instant.now().getEpochSecond(), body));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(json.readTree(response.body()).get("outcome").asString()).isEqualTo("canceled");
        assertThat(published().endOffsets(Topics.LEADS_RECEIVED)).isEqualTo(before);
    }

    @Test
    void publishesACalcomBookingWithItsResponses() {
        String uid = "bFJeNb2uX8ANpT3JL5Ef" + UUID.randomUUID().toString().substring(0, 8);
        byte[] body = calcom(uid).getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = webhooks().post("/webhooks/calcom", "application/json", body,
                "X-Cal-Signature-256", io.leadflow.intake.signature.Hmac.sha256Hex(Webhooks.CALCOM_SECRET, body));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String leadId = LeadIds.leadId("DEMO_BOOKING", uid);
        LeadReceived lead = published().awaitValues(Topics.LEADS_RECEIVED, leadId, LeadReceived.class).get(0);
        assertThat(lead.getContact().getEmail()).isEqualTo("chloe@gmail.com");
        assertThat(lead.getContact().getFirstName()).isEqualTo("Chloé");
        assertThat(lead.getContact().getLastName()).isEqualTo("Martin");
        assertThat(lead.getContact().getCompanyName()).isEqualTo("Initech SAS");
        assertThat(lead.getContact().getCompanyDomain()).as("gmail.com is free mail").isNull();
        assertThat(lead.getContact().getCountry()).isEqualTo("FR");
        assertThat(lead.getContact().getRegion()).isEqualTo(Region.EU);
        assertThat(lead.getMonthlyEvents()).isEqualTo(5_000_000L);
        assertThat(lead.getNeeds()).containsExactly(Need.SELF_HOSTING, Need.PRIVACY_COMPLIANCE);
        assertThat(lead.getGroupDemo()).isTrue();
        assertThat(lead.getDemo().getStartsAt()).isEqualTo(Instant.parse("2026-01-06T09:00:00Z"));
        assertThat(lead.getDemo().getBookingUrl()).isEqualTo("https://app.cal.com/video/" + uid);
        assertThat(lead.getDemo().getProvider()).isEqualTo("cal.com");
        assertThat(lead.getMessage()).contains("Company: Initech SAS", "self-host because of HIPAA");
    }

    @Test
    void rejectsForgedBookingsWith401() {
        byte[] body = calcom("forged").getBytes(StandardCharsets.UTF_8);
        byte[] calendlyBody = calendly("invitee.created", "forged").getBytes(StandardCharsets.UTF_8);
        long before = published().endOffsets(Topics.LEADS_RECEIVED);

        HttpResponse<String> tampered = webhooks().post("/webhooks/calcom", "application/json",
                calcom("forged2").getBytes(StandardCharsets.UTF_8),
                "X-Cal-Signature-256", io.leadflow.intake.signature.Hmac.sha256Hex(Webhooks.CALCOM_SECRET, body));
        HttpResponse<String> missing = webhooks().post("/webhooks/calcom", "application/json", body);
        HttpResponse<String> wrongKey = webhooks().post("/webhooks/calendly", "application/json", calendlyBody,
                "Calendly-Webhook-Signature", Webhooks.timestamped("someone-else", Instant.now().getEpochSecond(), calendlyBody));
        HttpResponse<String> stale = webhooks().post("/webhooks/calendly", "application/json", calendlyBody,
                "Calendly-Webhook-Signature", Webhooks.timestamped(Webhooks.CALENDLY_KEY, Instant.now().getEpochSecond() - 26 * 3600, calendlyBody));

        assertThat(tampered.statusCode()).isEqualTo(401);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(wrongKey.statusCode()).isEqualTo(401);
        assertThat(stale.statusCode()).isEqualTo(401);
        assertThat(published().endOffsets(Topics.LEADS_RECEIVED)).isEqualTo(before);
    }
}
