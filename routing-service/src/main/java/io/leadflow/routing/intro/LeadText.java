package io.leadflow.routing.intro;

/**
 * What a lead wrote, made safe for a plain-text email: control characters (but line breaks) and bidirectional
 * overrides stripped, line breaks made {@code \n}, length bounded before anything else reads it, and for a header
 * (the subject) one line with no CR or LF at all. Every method is one pass over at most its bound, so any input costs
 * time linear in the bound.
 */
final class LeadText {

    private LeadText() {
    }

    /** The text cleaned, cut at {@code max} characters (ending in "…"); null or blank gives "". */
    static String clean(String text, int max) {
        if (text == null || text.isBlank()) {
            return "";
        }
        boolean cut = text.length() > max;
        String bounded = cut ? text.substring(0, cutPoint(text, max - 1)) : text;
        StringBuilder out = new StringBuilder(bounded.length() + 1);
        for (int i = 0; i < bounded.length(); i++) {
            char c = bounded.charAt(i);
            if (c == '\r') {
                out.append('\n');
                if (i + 1 < bounded.length() && bounded.charAt(i + 1) == '\n') {
                    i++;
                }
            } else if (c == '\n') {
                out.append('\n');
            } else if (c == '\t') {
                out.append(' ');
            } else if (c == '\u2028' || c == '\u2029') {
                out.append('\n');
            } else if (!stripped(c)) {
                out.append(c);
            }
        }
        String result = out.toString().strip();
        return cut ? result + "…" : result;
    }

    /** One line: cleaned, every line break a space, at most {@code max} characters; for headers and names. */
    static String oneLine(String text, int max) {
        String cleaned = clean(text, max);
        StringBuilder out = new StringBuilder(cleaned.length());
        boolean space = false;
        for (int i = 0; i < cleaned.length(); i++) {
            char c = cleaned.charAt(i);
            if (c == '\n' || c == ' ') {
                space = !out.isEmpty();
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The text cleaned and bounded, each line after "> ", as an email quotes; "" when there is nothing to quote. */
    static String quoted(String text, int max) {
        String cleaned = clean(text, max);
        if (cleaned.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(cleaned.length() + 64);
        int start = 0;
        while (start <= cleaned.length()) {
            int end = cleaned.indexOf('\n', start);
            if (end < 0) {
                end = cleaned.length();
            }
            String line = cleaned.substring(start, end).stripTrailing();
            out.append(line.isEmpty() ? ">" : "> " + line);
            if (end < cleaned.length()) {
                out.append('\n');
            }
            start = end + 1;
        }
        return out.toString();
    }

    /** C0 and C1 controls, DEL, and the invisible marks that reorder or hide text. */
    private static boolean stripped(char c) {
        return Character.getType(c) == Character.CONTROL
                || (c >= '\u200B' && c <= '\u200F')
                || (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069')
                || c == '\uFEFF';
    }

    /** {@code max}, or one less when that would split a surrogate pair. */
    private static int cutPoint(String text, int max) {
        int at = Math.max(0, max);
        return at > 0 && Character.isHighSurrogate(text.charAt(at - 1)) ? at - 1 : at;
    }
}
