package io.leadflow.intake.normalise;

import com.google.re2j.Pattern;
import io.leadflow.avro.Contact;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.Need;
import io.leadflow.avro.PlanInterest;
import io.leadflow.intake.system.RejectedRequest;
import io.leadflow.intake.system.WebhookSource;
import io.leadflow.schemas.LeadIds;

import java.net.IDN;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a {@link LeadDraft} into a {@code LeadReceived}: email trimmed, lower-cased and validated;
 * company domain from the website or the email, never a free-mail domain; country to ISO code and
 * region; volumes, plan interest and needs from explicit fields first, then from free text.
 */
public final class LeadNormaliser {

    static final int MAX_MESSAGE_CHARS = 10_000;
    /**
     * Names, title, company, booking link and UTM values are cut here (with "…"), and a lead keeps its first
     * {@value #MAX_UTM_ENTRIES} UTM parameters: a record must fit Kafka's request size (1 MiB by default) whatever a
     * sender put in a field. Untrimmed, one such field filled to the body limit made a record Kafka refused, which was
     * answered 503 and so retried by the provider for ever.
     */
    static final int MAX_FIELD_CHARS = 1_000;
    static final int MAX_UTM_ENTRIES = 20;
    /** RFC 5321's limit for a path; a longer address is invalid before any pattern looks at it. */
    static final int MAX_EMAIL_CHARS = 254;
    /** RFC 1035's limits for a host name in its ASCII form and for each of its labels. */
    static final int MAX_HOST_CHARS = 253;
    static final int MAX_LABEL_CHARS = 63;

    // RE2: linear time and no recursion (java.util.regex recurses for every repetition of a group: a stack overflow on long input).
    private static final Pattern EMAIL = LinearRegex.compile(
            "^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$");
    private static final Pattern HOST = LinearRegex.compile("^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$");

    private LeadNormaliser() {
    }

    /** The lead id for a source's own event id: a name-based UUID of {@code <LeadSource>:<sourceEventId>}. */
    public static String leadId(WebhookSource source, String sourceEventId) {
        return LeadIds.leadId(source.leadSource().name(), sourceEventId);
    }

    public static LeadReceived normalise(LeadDraft draft, WebhookSource source, String sourceEventId, Instant receivedAt) {
        String email = email(draft.email, draft.emailField);
        String emailDomain = email.substring(email.indexOf('@') + 1);
        FreeText.Signals signals = FreeText.read(draft.freeText.toString(), new FreeText.Stated(draft.planInterest != null,
                draft.monthlyEvents != null, draft.monthlyActiveUsers != null));

        String first = bounded(draft.firstName);
        String last = bounded(draft.lastName);
        String full = bounded(draft.fullName);
        if (first == null && last == null && full != null) {
            int space = full.lastIndexOf(' ');
            first = space < 0 ? full : full.substring(0, space).trim();
            last = space < 0 ? null : full.substring(space + 1).trim();
        }
        String country = Countries.isoCode(draft.country).orElse(null);
        String title = bounded(draft.title);

        Contact contact = Contact.newBuilder()
                .setEmail(email)
                .setFirstName(first)
                .setLastName(last)
                .setTitle(title)
                .setCompanyName(bounded(draft.company))
                .setCompanyDomain(companyDomain(draft.website, emailDomain))
                .setCountry(country)
                .setRegion(Countries.region(country))
                .build();

        Set<Need> needs = java.util.EnumSet.noneOf(Need.class);
        needs.addAll(draft.needs);
        needs.addAll(signals.needs());
        PlanInterest plan = draft.planInterest != null ? draft.planInterest
                : signals.planInterest() != null ? signals.planInterest() : PlanInterest.UNKNOWN;

        return LeadReceived.newBuilder()
                .setLeadId(leadId(source, sourceEventId))
                .setSource(source.leadSource())
                .setSourceEventId(sourceEventId)
                .setReceivedAt(receivedAt)
                .setContact(contact)
                .setPlanInterest(plan)
                .setMonthlyActiveUsers(draft.monthlyActiveUsers != null ? draft.monthlyActiveUsers : signals.monthlyActiveUsers())
                .setMonthlyEvents(draft.monthlyEvents != null ? draft.monthlyEvents : signals.monthlyEvents())
                .setNeeds(new ArrayList<>(needs))
                .setTechnical(FreeText.technicalTitle(title))
                .setYCombinator(draft.yCombinator || signals.yCombinator())
                .setGroupDemo(draft.groupDemo || signals.groupDemo())
                .setDemo(demo(draft.demo))
                .setMessage(message(draft.message))
                .setUtm(utm(draft.utm))
                .build();
    }

    /** Trimmed, lower-cased and validated; a display name around it ("Jane &lt;jane@acme.com&gt;") is dropped. */
    public static String email(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            throw RejectedRequest.invalid(field, "is required");
        }
        String s = raw.trim();
        int lt = s.lastIndexOf('<');
        int gt = s.lastIndexOf('>');
        if (lt >= 0 && gt > lt) {
            s = s.substring(lt + 1, gt).trim();
        }
        if (s.toLowerCase(Locale.ROOT).startsWith("mailto:")) {
            s = s.substring(7);
        }
        if (s.length() > MAX_EMAIL_CHARS) {
            throw RejectedRequest.invalid(field, "is not a valid email address");
        }
        s = s.toLowerCase(Locale.ROOT);
        if (!EMAIL.matcher(s).matches()) {
            throw RejectedRequest.invalid(field, "is not a valid email address");
        }
        return s;
    }

    /** The company's domain from its website, else from the email; free-mail domains never count. */
    public static String companyDomain(String website, String emailDomain) {
        String fromWebsite = host(website);
        if (fromWebsite != null && !FreemailDomains.isFreemail(fromWebsite)) {
            return fromWebsite;
        }
        String fromEmail = host(emailDomain);
        if (fromEmail != null && !FreemailDomains.isFreemail(fromEmail)) {
            return fromEmail;
        }
        return null;
    }

    /** {@code https://www.Acme.com/pricing?x=1} becomes {@code acme.com}; anything that is not a host gives null. */
    static String host(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        String s = url.trim().toLowerCase(Locale.ROOT);
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
        }
        int at = s.indexOf('@');
        if (at >= 0 && at < firstOf(s, "/?#")) {
            s = s.substring(at + 1);
        }
        s = s.substring(0, firstOf(s, "/?#:"));
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.startsWith("www.")) {
            s = s.substring(4);
        }
        // The ASCII form of a name has at least as many characters as it has code points.
        if (s.codePointCount(0, s.length()) > MAX_HOST_CHARS) {
            return null;
        }
        try {
            s = IDN.toASCII(s, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return hasHostLengths(s) && HOST.matcher(s).matches() ? s : null;
    }

    private static boolean hasHostLengths(String host) {
        if (host.length() > MAX_HOST_CHARS) {
            return false;
        }
        int labelStart = 0;
        for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', labelStart)) {
            if (dot - labelStart > MAX_LABEL_CHARS) {
                return false;
            }
            labelStart = dot + 1;
        }
        return host.length() - labelStart <= MAX_LABEL_CHARS;
    }

    private static int firstOf(String s, String chars) {
        int min = s.length();
        for (char c : chars.toCharArray()) {
            int i = s.indexOf(c);
            if (i >= 0 && i < min) {
                min = i;
            }
        }
        return min;
    }

    private static String message(String message) {
        return cut(blankToNull(message), MAX_MESSAGE_CHARS);
    }

    /** Trimmed, null when blank, and at most {@value #MAX_FIELD_CHARS} characters (and "…"). */
    static String bounded(String s) {
        return cut(blankToNull(s), MAX_FIELD_CHARS);
    }

    private static String cut(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max; // never half a surrogate pair
        return s.substring(0, end) + "…";
    }

    private static java.util.Map<String, String> utm(java.util.Map<String, String> utm) {
        java.util.Map<String, String> bounded = new java.util.LinkedHashMap<>();
        for (java.util.Map.Entry<String, String> entry : utm.entrySet()) {
            if (bounded.size() == MAX_UTM_ENTRIES) {
                break;
            }
            bounded.putIfAbsent(cut(entry.getKey(), MAX_FIELD_CHARS), cut(entry.getValue(), MAX_FIELD_CHARS));
        }
        return bounded;
    }

    private static io.leadflow.avro.Demo demo(io.leadflow.avro.Demo demo) {
        if (demo == null) {
            return null;
        }
        return io.leadflow.avro.Demo.newBuilder(demo).setBookingUrl(cut(demo.getBookingUrl(), MAX_FIELD_CHARS))
                .setEventType(cut(demo.getEventType(), MAX_FIELD_CHARS)).build();
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
