package io.leadflow.notifier.channels;

import java.text.Normalizer;
import java.util.Locale;

/**
 * A shared channel's name from the company's, as Slack allows channel names
 * (https://docs.slack.dev/reference/methods/conversations.create: "may only contain lowercase letters, numbers,
 * hyphens, and underscores, and must be 80 characters or less"). One pass over the text: it is the lead's.
 */
final class ChannelNames {

    static final int MAX_LENGTH = 80;

    private ChannelNames() {
    }

    /**
     * The name's company part: accents dropped, lower case, every run of other characters one hyphen, no hyphen at either
     * end; the domain's first label when the company name leaves nothing; else {@code lead-} and the lead id's start.
     */
    static String base(String company, String domain, String leadId) {
        String fromCompany = slug(company);
        if (!fromCompany.isEmpty()) {
            return fromCompany;
        }
        if (domain != null) {
            int dot = domain.indexOf('.');
            String fromDomain = slug(dot > 0 ? domain.substring(0, dot) : domain);
            if (!fromDomain.isEmpty()) {
                return fromDomain;
            }
        }
        String id = slug(leadId);
        return "lead-" + (id.length() > 8 ? id.substring(0, 8) : id);
    }

    /** The {@code attempt}th name to try: {@code prefix + base}, then {@code -2}, {@code -3}…, cut to fit 80 characters. */
    static String candidate(String prefix, String base, int attempt) {
        String suffix = attempt <= 1 ? "" : "-" + attempt;
        int room = MAX_LENGTH - prefix.length() - suffix.length();
        String cut = base.length() > room ? base.substring(0, Math.max(0, room)) : base;
        while (cut.endsWith("-")) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return prefix + cut + suffix;
    }

    static String slug(String text) {
        if (text == null) {
            return "";
        }
        String limited = text.length() > 1_000 ? text.substring(0, 1_000) : text;
        String decomposed = Normalizer.normalize(limited, Normalizer.Form.NFKD).toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(Math.min(decomposed.length(), MAX_LENGTH));
        boolean hyphen = false;
        for (int i = 0; i < decomposed.length() && out.length() < MAX_LENGTH; i++) {
            char c = decomposed.charAt(i);
            if (Character.getType(c) == Character.NON_SPACING_MARK) {
                continue;
            }
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
                if (hyphen && out.length() > 0) {
                    out.append('-');
                }
                hyphen = false;
                out.append(c);
            } else {
                hyphen = true;
            }
        }
        return out.toString();
    }
}
