package io.leadflow.routing.decide;

import io.leadflow.avro.AlertField;
import io.leadflow.avro.AlertKind;
import io.leadflow.avro.AlertLink;
import io.leadflow.avro.Contact;
import io.leadflow.avro.Demo;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.RepAlert;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A short alert to a lead's owner that its demo moved, in the {@code rep.alerts} contract as it is: kind {@code OTHER}
 * (rendered by the notifier's generic template), one alert per new start time ({@code alertId}
 * {@code DEMO_RESCHEDULED:<leadId>:<start epoch ms>}), so a redelivered reschedule is posted once.
 */
public final class DemoRescheduledAlert {

    private static final DateTimeFormatter DEMO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private DemoRescheduledAlert() {
    }

    public static String alertId(String leadId, Instant startsAt) {
        return "DEMO_RESCHEDULED:" + leadId + ":" + startsAt.toEpochMilli();
    }

    /** True when both leads have a demo and it starts at another time. */
    public static boolean moved(Demo before, Demo after) {
        return before != null && after != null && !before.getStartsAt().equals(after.getStartsAt());
    }

    public static RepAlert from(LeadRouted decision, Demo before, Instant at) {
        Demo demo = decision.getLead().getDemo();
        Contact contact = decision.getLead().getContact();
        String company = contact.getCompanyName() != null && !contact.getCompanyName().isBlank() ? contact.getCompanyName()
                : contact.getEmail().substring(contact.getEmail().indexOf('@') + 1);
        List<AlertField> fields = new ArrayList<>();
        fields.add(new AlertField("Company", company));
        fields.add(new AlertField("Contact", contact.getEmail()));
        fields.add(new AlertField("Demo now", DEMO_TIME.format(demo.getStartsAt())));
        fields.add(new AlertField("Was", DEMO_TIME.format(before.getStartsAt())));
        List<AlertLink> links = new ArrayList<>();
        if (demo.getBookingUrl() != null && !demo.getBookingUrl().isBlank()) {
            links.add(new AlertLink("Demo booking", demo.getBookingUrl()));
        }
        return RepAlert.newBuilder()
                .setAlertId(alertId(decision.getLeadId(), demo.getStartsAt()))
                .setRepId(decision.getOwner().getRepId())
                .setSlackUserId(decision.getOwner().getSlackUserId())
                .setChannel(null)
                .setKind(AlertKind.OTHER)
                .setTitle("Demo rescheduled: " + company + " → " + DEMO_TIME.format(demo.getStartsAt()))
                .setFields(fields)
                .setReasons(List.of())
                .setFlags(List.of())
                .setActions(List.of("Check the new time in your calendar; HubSpot's demo task moves with it."))
                .setLinks(links)
                .setCreatedAt(at)
                .setLeadId(decision.getLeadId())
                .setTrialId(null)
                .setLeadReceivedAt(null)
                .build();
    }
}
