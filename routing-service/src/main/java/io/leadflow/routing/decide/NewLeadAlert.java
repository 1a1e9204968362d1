package io.leadflow.routing.decide;

import io.leadflow.avro.AlertButton;
import io.leadflow.avro.AlertField;
import io.leadflow.avro.AlertKind;
import io.leadflow.avro.AlertLink;
import io.leadflow.avro.Contact;
import io.leadflow.avro.IntroEmail;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.LeadSource;
import io.leadflow.avro.PlanInterest;
import io.leadflow.avro.RepAlert;
import io.leadflow.avro.Region;
import io.leadflow.avro.RoutingFlag;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code NEW_LEAD} alert for a decision's owner, exactly as the {@code rep.alerts} contract
 * between services has it. Built from the decision alone, so a re-emitted decision gives the
 * identical alert (same alertId, same createdAt) and the notifier posts it once.
 */
public final class NewLeadAlert {

    /** The alert field that carries the introduction email's draft. */
    public static final String DRAFT_LABEL = "Introduction email (draft)";
    /** Characters of the draft in the alert (a Slack field holds 2,000). */
    static final int MAX_DRAFT = 1_500;

    private static final DateTimeFormatter DEMO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private NewLeadAlert() {
    }

    /** Slack action ids of the alert's buttons; lead-intake turns their clicks into {@code leads.activity}. */
    public static final String ACCEPT = "lead.accept";
    public static final String PASS = "lead.pass";

    public static String alertId(String leadId) {
        return "NEW_LEAD:" + leadId;
    }

    /** {@code NEW_LEAD:<leadId>} for the first decision (as before versions existed), {@code NEW_LEAD:<leadId>:v<n>} after. */
    public static String alertId(String leadId, int decisionVersion) {
        return decisionVersion <= 1 ? alertId(leadId) : alertId(leadId) + ":v" + decisionVersion;
    }

    /** What a button click carries back: {@code <leadId>:<decisionVersion>}. */
    public static String buttonValue(String leadId, int decisionVersion) {
        return leadId + ":" + decisionVersion;
    }

    public static RepAlert from(LeadRouted decision) {
        LeadReceived lead = decision.getLead();
        Contact contact = lead.getContact();
        List<AlertField> fields = new ArrayList<>();
        String company = company(contact);
        add(fields, "Company", company);
        add(fields, "Contact", contactLine(contact));
        add(fields, "Pipeline", Labels.pipeline(decision.getPipeline()));
        add(fields, "Plan interest", lead.getPlanInterest() == PlanInterest.UNKNOWN ? null : Labels.planInterest(lead.getPlanInterest()));
        add(fields, "Recommended plan", Labels.plan(decision.getRecommendedPlan()));
        add(fields, "Monthly active users", lead.getMonthlyActiveUsers() == null ? null : Labels.number(lead.getMonthlyActiveUsers()));
        add(fields, "Monthly events", lead.getMonthlyEvents() == null ? null : Labels.number(lead.getMonthlyEvents()));
        add(fields, "Region", region(contact));
        add(fields, "Source", source(lead));
        add(fields, DRAFT_LABEL, draft(decision.getIntroEmail()));
        List<AlertLink> links = new ArrayList<>();
        if (lead.getDemo() != null && lead.getDemo().getBookingUrl() != null && !lead.getDemo().getBookingUrl().isBlank()) {
            links.add(new AlertLink("Demo booking", lead.getDemo().getBookingUrl()));
        }
        String titleCompany = contact != null && contact.getCompanyName() != null && !contact.getCompanyName().isBlank()
                ? contact.getCompanyName() : emailDomain(contact);
        String value = buttonValue(decision.getLeadId(), decision.getDecisionVersion());
        List<String> reasons = new ArrayList<>();
        if (decision.getChangeReason() != null) {
            reasons.add(decision.getChangeReason());
        }
        decision.getReasons().forEach(reason -> reasons.add(reason.getExplanation()));
        return RepAlert.newBuilder()
                .setAlertId(alertId(decision.getLeadId(), decision.getDecisionVersion()))
                .setRepId(decision.getOwner().getRepId())
                .setSlackUserId(decision.getOwner().getSlackUserId())
                .setChannel(null)
                .setKind(AlertKind.NEW_LEAD)
                .setTitle("New lead: " + titleCompany + " → " + Labels.pipeline(decision.getPipeline()))
                .setFields(fields)
                .setReasons(reasons)
                .setFlags(decision.getFlags().stream().map(RoutingFlag::getExplanation).toList())
                .setActions(List.copyOf(decision.getNextSteps()))
                .setLinks(links)
                .setCreatedAt(decision.getDecidedAt() == null ? decision.getRoutedAt() : decision.getDecidedAt())
                .setLeadId(decision.getLeadId())
                .setTrialId(null)
                .setLeadReceivedAt(lead.getReceivedAt())
                .setButtons(List.of(new AlertButton(ACCEPT, "Accept", value, "primary"), new AlertButton(PASS, "Pass", value, null)))
                .build();
    }

    /** The introduction email as the owner will see it in the CRM, cut to fit a Slack field. */
    private static String draft(IntroEmail email) {
        if (email == null) {
            return null;
        }
        String text = "To: " + email.getTo() + "\nSubject: " + email.getSubject() + "\n\n" + email.getBody();
        return text.length() <= MAX_DRAFT ? text : text.substring(0, MAX_DRAFT - 1) + "…";
    }

    private static void add(List<AlertField> fields, String label, String value) {
        if (value != null && !value.isBlank()) {
            fields.add(new AlertField(label, value));
        }
    }

    /** The company as a title names it. */
    public static String titleCompany(LeadReceived lead) {
        Contact contact = lead.getContact();
        return contact != null && contact.getCompanyName() != null && !contact.getCompanyName().isBlank()
                ? contact.getCompanyName() : emailDomain(contact);
    }

    /** The company as an alert and a simulation's outcome name it: its name, else its domain; null without a contact. */
    public static String company(Contact contact) {
        if (contact == null) {
            return null;
        }
        if (contact.getCompanyName() != null && !contact.getCompanyName().isBlank()) {
            return contact.getCompanyName();
        }
        return contact.getCompanyDomain();
    }

    private static String emailDomain(Contact contact) {
        String email = contact == null ? null : contact.getEmail();
        return email != null && email.contains("@") ? email.substring(email.indexOf('@') + 1) : "unknown company";
    }

    private static String contactLine(Contact contact) {
        if (contact == null) {
            return null;
        }
        StringBuilder name = new StringBuilder();
        if (contact.getFirstName() != null) {
            name.append(contact.getFirstName());
        }
        if (contact.getLastName() != null) {
            name.append(name.isEmpty() ? "" : " ").append(contact.getLastName());
        }
        if (contact.getTitle() != null && !contact.getTitle().isBlank()) {
            name.append(name.isEmpty() ? "" : ", ").append(contact.getTitle());
        }
        return name.isEmpty() ? contact.getEmail() : name + " <" + contact.getEmail() + ">";
    }

    private static String region(Contact contact) {
        if (contact == null || contact.getRegion() == Region.UNKNOWN) {
            return contact == null ? null : contact.getCountry();
        }
        String region = Labels.region(contact.getRegion());
        return contact.getCountry() == null ? region : region + " (" + contact.getCountry() + ")";
    }

    private static String source(LeadReceived lead) {
        if (lead.getSource() == LeadSource.DEMO_BOOKING && lead.getDemo() != null) {
            return "Demo at " + DEMO_TIME.format(lead.getDemo().getStartsAt());
        }
        return lead.getSource() == LeadSource.UNKNOWN ? null : Labels.source(lead.getSource());
    }
}
