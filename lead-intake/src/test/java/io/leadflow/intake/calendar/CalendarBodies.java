package io.leadflow.intake.calendar;

/** Booking webhook bodies shaped as Calendly's and Cal.com's documentation shows them. */
public final class CalendarBodies {

    private CalendarBodies() {
    }

    /** The URI Calendly gives an invitee, from its id. */
    public static String inviteeUri(String invitee) {
        return "https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2/invitees/" + invitee;
    }

    /** A Calendly webhook v2 body as Calendly documents it; {@code oldInvitee} is set on the new half of a reschedule. */
    public static String calendly(String event, String invitee, String oldInvitee, String startTime) {
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
                    "old_invitee": %s,
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
                      "start_time": "%s",
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
                """.formatted(event, invitee, oldInvitee == null ? "null" : "\"" + oldInvitee + "\"", invitee,
                event.equals("invitee.canceled") ? "canceled" : "active", invitee, startTime);
    }

    /** A Cal.com webhook body (payload version 2021-10-20); {@code rescheduleUid} is set on BOOKING_RESCHEDULED. */
    public static String calcom(String trigger, String uid, String rescheduleUid, String startTime) {
        return """
                {
                  "triggerEvent": "%s",
                  "createdAt": "2026-01-02T10:00:00.000Z",
                  "payload": {
                    "type": "group-demo",
                    "eventTypeId": 1287,
                    "title": "Group demo between PostHog and Chloé Martin",
                    "description": "",
                    "additionalNotes": "We want to self-host because of HIPAA. Around 5M events a month.",
                    "customInputs": {},
                    "startTime": "%s",
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
                    "status": "ACCEPTED",
                    "rescheduleUid": %s
                  }
                }
                """.formatted(trigger, startTime, uid, uid, rescheduleUid == null ? "null" : "\"" + rescheduleUid + "\"");
    }
    /** Calendly's {@code invitee.canceled} for a cancellation that is not part of a reschedule, with its reason. */
    public static String calendlyCanceled(String invitee, String reason) {
        return calendly("invitee.canceled", invitee, null, "2026-01-05T15:00:00.000000Z")
                .replace("\"rescheduled\": false,", """
                        "rescheduled": false,
                        "cancellation": {"canceled_by": "Bob Smith", "reason": "%s", "canceler_type": "invitee",
                                         "created_at": "2026-01-04T08:30:00.000000Z"},""".formatted(reason));
    }

    /** Calendly's {@code invitee.canceled} for the old half of a reschedule ({@code rescheduled: true}). */
    public static String calendlyRescheduledAway(String invitee, String newInvitee) {
        return calendly("invitee.canceled", invitee, null, "2026-01-05T15:00:00.000000Z")
                .replace("\"rescheduled\": false,", "\"rescheduled\": true,")
                .replace("\"new_invitee\": null,", "\"new_invitee\": \"" + inviteeUri(newInvitee) + "\",");
    }

    /** Calendly's {@code invitee_no_show.created}: the invitee with its {@code no_show} mark. */
    public static String calendlyNoShow(String invitee) {
        return calendly("invitee_no_show.created", invitee, null, "2026-01-05T15:00:00.000000Z")
                .replace("\"rescheduled\": false,", """
                        "rescheduled": false,
                        "no_show": {"uri": "https://api.calendly.com/invitee_no_shows/6ee96ed4-83a3-4966-a278-cbd2bd4d2a4b",
                                    "created_at": "2026-01-05T15:20:00.000000Z"},""");
    }

    /** Cal.com's {@code BOOKING_CANCELLED}: the booking with its {@code cancellationReason}. */
    public static String calcomCanceled(String uid, String reason) {
        return calcom("BOOKING_CANCELLED", uid, null, "2026-01-06T09:00:00Z")
                .replace("\"status\": \"ACCEPTED\",", "\"status\": \"CANCELLED\", \"cancellationReason\": \"" + reason
                        + "\", \"cancelledBy\": \"chloe@gmail.com\",");
    }

    /** Cal.com's {@code BOOKING_NO_SHOW_UPDATED}, as a host marks ({@code true}) or unmarks an attendee. */
    public static String calcomNoShow(String uid, boolean noShow) {
        return """
                {
                  "triggerEvent": "BOOKING_NO_SHOW_UPDATED",
                  "createdAt": "2026-01-06T10:05:00.000Z",
                  "payload": {
                    "message": "%s",
                    "attendees": [{"email": "chloe@gmail.com", "noShow": %s}],
                    "bookingUid": "%s",
                    "bookingId": 91
                  }
                }
                """.formatted(noShow ? "x_marked_as_no_show" : "x_unmarked_as_no_show", noShow, uid);
    }
}
