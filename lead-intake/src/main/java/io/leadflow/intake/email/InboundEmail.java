package io.leadflow.intake.email;

import com.google.re2j.Pattern;
import io.leadflow.intake.normalise.LeadDraft;
import io.leadflow.intake.normalise.LinearRegex;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An email as both providers deliver it, and how it becomes a lead: the From address is the
 * contact, subject and body are read for signals, the Message-Id is the source event id (so the
 * same email through Mailgun and SendGrid is one lead).
 *
 * @param from      the From header ({@code "Jane Doe" <jane@acme.com>}), else the envelope sender
 * @param subject   the subject
 * @param text      the plain-text body, quoted replies and signature stripped where the provider does so
 * @param messageId the Message-Id header, may be null
 * @param headers   headers by lower-cased name (first value), for auto-reply detection
 */
record InboundEmail(String from, String subject, String text, String messageId, Map<String, String> headers) {

    private static final Pattern AUTO_SUBJECT = LinearRegex.compileIgnoreCase(
            "^(?:auto(?:matic)?[\\s-]*(?:reply|response)|auto:|out of (?:the )?office|undeliverable|delivery status notification"
                    + "|mail delivery (?:failed|failure)|returned mail|abwesenheitsnotiz|réponse automatique)");
    private static final Pattern BOUNCE_SENDER = LinearRegex.compileIgnoreCase("^(?:mailer-daemon|postmaster)@");
    private static final Set<String> BULK_PRECEDENCE = Set.of("bulk", "junk", "auto_reply", "list");

    /** Why this mail can never be a lead (an auto-reply, a bounce, nothing in it); null when it may be one. */
    String notALeadReason() {
        String auto = header("auto-submitted");
        if (auto != null && !auto.trim().equalsIgnoreCase("no")) {
            return "is an automatic message (Auto-Submitted: " + auto.trim() + ")";
        }
        if (header("x-autoreply") != null || header("x-autorespond") != null) {
            return "is an auto-reply";
        }
        String precedence = header("precedence");
        if (precedence != null && BULK_PRECEDENCE.contains(precedence.trim().toLowerCase(Locale.ROOT))) {
            return "is bulk or list mail (Precedence: " + precedence.trim() + ")";
        }
        if (subject != null && AUTO_SUBJECT.matcher(subject.trim()).find()) {
            return "is an auto-reply or bounce (subject)";
        }
        String address = from == null ? "" : addressOf(from);
        if (BOUNCE_SENDER.matcher(address).find()) {
            return "is a bounce from " + address.substring(0, address.indexOf('@'));
        }
        if (isBlank(subject) && isBlank(text)) {
            return "has neither subject nor body";
        }
        return null;
    }

    /**
     * The Message-Id without angle brackets; when a mail has none, a hash of sender, subject, date and
     * body, so a redelivery still yields the same id.
     */
    String sourceEventId() {
        String id = messageId != null ? messageId : header("message-id");
        if (id != null && !id.isBlank()) {
            String s = id.trim();
            if (s.startsWith("<") && s.endsWith(">")) {
                s = s.substring(1, s.length() - 1).trim();
            }
            if (!s.isEmpty()) {
                return s;
            }
        }
        String material = String.join("\n", nz(from), nz(subject), nz(header("date")), nz(text));
        return "sha256:" + java.util.HexFormat.of().formatHex(sha256(material));
    }

    LeadDraft toDraft(String fromField) {
        String name = displayName(from);
        LeadDraft draft = new LeadDraft().email(from == null ? null : addressOf(from), fromField).fullName(name);
        String subjectLine = isBlank(subject) ? null : subject.trim();
        String body = isBlank(text) ? null : text.trim();
        draft.message(subjectLine == null ? body : body == null ? subjectLine : subjectLine + "\n\n" + body);
        return draft;
    }

    private String header(String name) {
        return headers == null ? null : headers.get(name);
    }

    /** {@code "Jane Doe" <jane@acme.com>} gives {@code jane@acme.com}. */
    static String addressOf(String from) {
        String s = from.trim();
        int lt = s.lastIndexOf('<');
        int gt = s.lastIndexOf('>');
        return lt >= 0 && gt > lt ? s.substring(lt + 1, gt).trim() : s;
    }

    /** {@code "Jane Doe" <jane@acme.com>} gives {@code Jane Doe}; null when there is no display name. */
    static String displayName(String from) {
        if (from == null) {
            return null;
        }
        int lt = from.lastIndexOf('<');
        if (lt <= 0) {
            return null;
        }
        String name = from.substring(0, lt).trim();
        name = name.substring(name.startsWith("\"") ? 1 : 0);
        name = name.substring(0, name.length() - (name.endsWith("\"") ? 1 : 0)).trim();
        return name.isEmpty() || name.contains("@") ? null : name;
    }

    private static byte[] sha256(String s) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
