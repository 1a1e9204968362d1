package io.leadflow.notifier.privacy;

import io.leadflow.avro.AlertField;
import io.leadflow.avro.RepAlert;
import io.leadflow.platform.privacy.Subjects;

/**
 * The person an alert names, as the keyed hash every service names a person by ({@link Subjects}), so an erasure finds
 * the Slack messages about them. A {@code RepAlert} carries no contact of its own: the lead's email reaches Slack only in
 * the {@value #CONTACT} field routing-service writes on the alerts that show the contact (a new lead: {@code Name
 * <email>} or the bare address; a rescheduled demo: the address). That field is what the message shows, so it is the
 * person the message is about; alerts without it (trial reminders, SLA reminders, clicks) name no email and are found by
 * their lead id instead. Only linear-time string operations meet the field's text.
 */
public final class AlertSubjects {

    static final String CONTACT = "Contact";

    private final Subjects subjects;

    /** @param subjects null without {@code LEADFLOW_PRIVACY_KEY}: no alert gets a subject */
    public AlertSubjects(Subjects subjects) {
        this.subjects = subjects;
    }

    public static AlertSubjects none() {
        return new AlertSubjects(null);
    }

    /** The subject of the person the alert names, or null when it names no email (or there is no key). */
    public String of(RepAlert alert) {
        String email = email(alert);
        return subjects == null || email == null ? null : subjects.of(email);
    }

    /** The subject of the person with this email, or null without an email (or a key). */
    public String ofEmail(String email) {
        return subjects == null || email == null || email.isBlank() ? null : subjects.of(email);
    }

    /** The email in the alert's contact field: inside the last {@code <...>}, else the whole value if it is an address. */
    static String email(RepAlert alert) {
        if (alert == null || alert.getFields() == null) {
            return null;
        }
        for (AlertField field : alert.getFields()) {
            if (!CONTACT.equals(field.getLabel()) || field.getValue() == null) {
                continue;
            }
            String value = field.getValue().trim();
            int open = value.lastIndexOf('<');
            if (open >= 0 && value.endsWith(">")) {
                value = value.substring(open + 1, value.length() - 1).trim();
            }
            int at = value.indexOf('@');
            if (at > 0 && at < value.length() - 1 && value.indexOf(' ') < 0 && value.indexOf('<') < 0 && value.indexOf('>') < 0) {
                return value;
            }
        }
        return null;
    }
}
