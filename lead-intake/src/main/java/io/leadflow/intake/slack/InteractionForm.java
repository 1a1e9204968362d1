package io.leadflow.intake.slack;

import io.leadflow.intake.system.RejectedRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The {@code payload} field of the {@code application/x-www-form-urlencoded} body Slack posts interactions in, read
 * from the raw bytes the signature was checked over. One pass over the body; a body with more fields than any
 * interaction has is refused.
 */
final class InteractionForm {

    /** Slack sends one field; a few more are tolerated. */
    static final int MAX_FIELDS = 20;

    private InteractionForm() {
    }

    /** The decoded {@code payload} field; 400 naming it when absent or empty. */
    static String payload(byte[] body) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        int fields = 0;
        for (int start = 0, end; start < text.length(); start = end + 1) {
            end = text.indexOf('&', start);
            if (end < 0) {
                end = text.length();
            }
            if (end == start) {
                continue;
            }
            if (++fields > MAX_FIELDS) {
                throw RejectedRequest.invalid("body", "has more than " + MAX_FIELDS + " fields");
            }
            int eq = text.indexOf('=', start);
            String name = eq < 0 || eq > end ? text.substring(start, end) : text.substring(start, eq);
            if (!decode(name).equals("payload")) {
                continue;
            }
            String value = eq < 0 || eq > end ? "" : decode(text.substring(eq + 1, end));
            if (value.isBlank()) {
                break;
            }
            return value;
        }
        throw RejectedRequest.invalid("payload", "is required: Slack posts the interaction as a form field named payload");
    }

    private static String decode(String encoded) {
        try {
            return new String(URLDecoder.decode(encoded, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw RejectedRequest.invalid("body", "is not valid application/x-www-form-urlencoded");
        }
    }
}
