package io.leadflow.platform.logging;

/** Masks personal data and secrets before they reach a log line. */
public final class Masking {

    private Masking() {
    }

    /** {@code jane.doe@acme.com} becomes {@code j***@acme.com}; anything that is not an address becomes {@code ***}. */
    public static String email(String email) {
        if (email == null || email.isBlank()) {
            return "***";
        }
        int at = email.indexOf('@');
        if (at <= 0 || at == email.length() - 1) {
            return "***";
        }
        return email.charAt(0) + "***" + email.substring(at);
    }

    /** Longest untrusted value a log line carries; the rest is cut. */
    static final int MAX_PRINTABLE = 200;

    /**
     * An untrusted value (a provider's id, a stage name) made safe for one log line: control characters such as CR and
     * LF become Java-style unicode escapes (backslash, u, four hex digits), so a value cannot forge further log lines, and it is cut at 200 characters.
     */
    public static String printable(String value) {
        if (value == null) {
            return "null";
        }
        int end = Math.min(value.length(), MAX_PRINTABLE);
        StringBuilder out = new StringBuilder(end + 8);
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (value.length() > end) {
            out.append("…");
        }
        return out.toString();
    }

    /** Keeps at most the first four characters of a token, e.g. {@code xoxb***}. */
    public static String secret(String secret) {
        if (secret == null || secret.length() <= 8) {
            return "***";
        }
        return secret.substring(0, 4) + "***";
    }
}
