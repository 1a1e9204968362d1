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

    /** Keeps at most the first four characters of a token, e.g. {@code xoxb***}. */
    public static String secret(String secret) {
        if (secret == null || secret.length() <= 8) {
            return "***";
        }
        return secret.substring(0, 4) + "***";
    }
}
