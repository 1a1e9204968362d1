package io.leadflow.notifier.templates;

/**
 * Slack's text escaping: {@code &}, {@code <} and {@code >} become entities, so text from a lead (a company name,
 * a form message) can never form a mention ({@code <!channel>}), a link ({@code <https://evil|click>}) or a user
 * reference. Everything else is left as it is.
 */
final class Mrkdwn {

    private static final String ELLIPSIS = "…";

    private Mrkdwn() {
    }

    public static String escape(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Escapes, then shortens to at most {@code max} characters without cutting an entity in half. */
    public static String escape(String text, int max) {
        return truncate(escape(text), max);
    }

    /** Shortens already escaped (or our own) text to at most {@code max} characters, ending with an ellipsis. */
    public static String truncate(String escaped, int max) {
        if (escaped.length() <= max) {
            return escaped;
        }
        int cut = max - ELLIPSIS.length();
        int amp = escaped.lastIndexOf('&', cut - 1);
        if (amp >= 0 && amp > cut - 5 && escaped.indexOf(';', amp) >= cut) {
            cut = amp;
        }
        if (cut > 0 && Character.isHighSurrogate(escaped.charAt(cut - 1))) {
            cut--;
        }
        return escaped.substring(0, cut) + ELLIPSIS;
    }
}
