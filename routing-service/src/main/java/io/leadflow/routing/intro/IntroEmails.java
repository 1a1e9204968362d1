package io.leadflow.routing.intro;

import io.leadflow.avro.Contact;
import io.leadflow.avro.IntroEmail;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.LeadSource;
import io.leadflow.avro.Owner;
import io.leadflow.schemas.LeadNames;

import java.util.Map;

/**
 * Writes the handbook's step 2 for a routed lead that did not book a demo: an email from its owner introducing
 * ourselves, answering what they asked (quoted) and offering a call or demo (the owner's booking page), in the words of
 * {@link IntroTemplates}. Plain text only; everything the lead wrote is cleaned by {@link LeadText} before it is placed,
 * and the subject and the names are one line each, so nothing a lead types becomes a mail header.
 * <p>
 * None (null) for a booking (Calendly or Cal.com: they chose a time already, so step 2 is skipped), a lead that carries a
 * booked demo, and a lead whose address is missing or is not one plain address.
 */
public final class IntroEmails {

    /** Characters of the lead's message quoted in the email. */
    static final int MAX_QUESTION = 2_000;
    static final int MAX_SUBJECT = 150;
    static final int MAX_BODY = 8_000;
    static final int MAX_NAME = 100;
    static final int MAX_COMPANY = 100;
    private static final int MAX_ADDRESS = 254;

    private static final IntroEmails NONE = new IntroEmails(null);

    private final IntroTemplates templates;

    public IntroEmails(IntroTemplates templates) {
        this.templates = templates;
    }

    /** Writes no email at all: for topologies (tests) that are not about introductions. */
    public static IntroEmails none() {
        return NONE;
    }

    /** The introduction for a decision, or null when the lead gets none. */
    public IntroEmail render(LeadRouted decision) {
        if (templates == null) {
            return null;
        }
        LeadReceived lead = decision.getLead();
        Contact contact = lead.getContact();
        String to = contact == null ? null : address(contact.getEmail());
        if (lead.getSource() == LeadSource.DEMO_BOOKING || lead.getDemo() != null || to == null) {
            return null;
        }
        Owner owner = decision.getOwner();
        String ownerName = LeadText.oneLine(owner.getName(), MAX_NAME);
        String firstName = LeadText.oneLine(contact.getFirstName(), MAX_NAME);
        String company = LeadText.oneLine(LeadNames.company(lead), MAX_COMPANY);
        String quoted = LeadText.quoted(lead.getMessage(), MAX_QUESTION);
        String bookingUrl = owner.getBookingUrl() == null || owner.getBookingUrl().isBlank() ? null : LeadText.oneLine(owner.getBookingUrl(), 500);

        Map<String, String> fragments = Map.of("quoted", quoted, "firstName", firstName.isEmpty() ? templates.anonymous() : firstName,
                "ownerName", ownerName, "bookingUrl", bookingUrl == null ? "" : bookingUrl);
        String question = quoted.isEmpty() ? "" : IntroTemplates.fill(templates.question(), fragments);
        String booking = IntroTemplates.fill(bookingUrl == null ? templates.noBooking() : templates.booking(), fragments);
        Map<String, String> words = Map.of("firstName", fragments.get("firstName"), "ownerName", ownerName, "company", company,
                "question", question, "booking", booking);

        IntroTemplates.Entry template = templates.choose(decision.getPipeline(), decision.getRecommendedPlan());
        String subject = LeadText.oneLine(IntroTemplates.fill(template.subject(), words), MAX_SUBJECT);
        String body = tidy(IntroTemplates.fill(template.body(), words));
        if (body.length() > MAX_BODY) {
            body = body.substring(0, MAX_BODY - 1) + "…";
        }
        return IntroEmail.newBuilder()
                .setTo(to)
                .setFromName(ownerName)
                .setFromEmail(owner.getEmail().trim())
                .setSubject(subject)
                .setBody(body)
                .setTemplateId(template.id())
                .build();
    }

    /**
     * The one address the lead gave, or null unless it is a plain {@code local@domain}: no name, no list, no spaces, no
     * control characters, nothing a mail client would read as a second recipient.
     */
    static String address(String email) {
        if (email == null) {
            return null;
        }
        String trimmed = email.trim();
        if (trimmed.isEmpty() || trimmed.length() > MAX_ADDRESS) {
            return null;
        }
        int at = trimmed.indexOf('@');
        if (at <= 0 || at != trimmed.lastIndexOf('@') || at == trimmed.length() - 1 || trimmed.indexOf('.', at) < 0) {
            return null;
        }
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c <= ' ' || c >= 0x7F || ",;:<>()[]\\\"".indexOf(c) >= 0) {
                return null;
            }
        }
        return trimmed;
    }

    /** No more than one blank line in a row (a placeholder that brought nothing leaves none), no trailing spaces. */
    private static String tidy(String body) {
        StringBuilder out = new StringBuilder(body.length());
        int blank = 0;
        for (String line : body.split("\n", -1)) {
            String trimmed = line.stripTrailing();
            if (trimmed.isEmpty()) {
                blank++;
                if (blank > 1 || out.isEmpty()) {
                    continue;
                }
            } else {
                blank = 0;
            }
            out.append(trimmed).append('\n');
        }
        return out.toString().strip() + "\n";
    }
}
