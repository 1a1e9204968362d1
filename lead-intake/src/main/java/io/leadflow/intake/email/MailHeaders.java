package io.leadflow.intake.email;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An RFC 5322 header block (SendGrid's {@code headers} field, a raw message's header) as a map by
 * lower-cased name, first occurrence wins, continuation lines unfolded. Lines are read by Jakarta Mail's
 * {@link InternetHeaders} (CRLF, LF or CR line ends; UTF-8 values as RFC 6532 allows); unfolding is done
 * here in one pass, since {@code MimeUtility.unfold} copies the rest of the value at every line break.
 */
final class MailHeaders {

    private MailHeaders() {
    }

    static Map<String, String> parse(String block) {
        if (block == null) {
            return new LinkedHashMap<>();
        }
        try {
            InternetHeaders headers = new InternetHeaders(new ByteArrayInputStream(block.getBytes(StandardCharsets.UTF_8)), true);
            return of(headers.getAllHeaderLines());
        } catch (MessagingException e) {
            return new LinkedHashMap<>(); // only thrown for I/O errors, which a byte array does not have
        }
    }

    /** Header lines as {@link InternetHeaders} keeps them (folded: CRLF and whitespace inside). Lines without a name are skipped. */
    static Map<String, String> of(Enumeration<String> lines) {
        Map<String, String> headers = new LinkedHashMap<>();
        while (lines.hasMoreElements()) {
            String line = lines.nextElement();
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), unfold(line, colon + 1).trim());
            }
        }
        return headers;
    }

    /** From {@code start}: every line break and the whitespace after it become one space. */
    private static String unfold(String line, int start) {
        StringBuilder out = new StringBuilder(line.length() - start);
        for (int i = start; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\r' || c == '\n') {
                while (i + 1 < line.length() && " \t\r\n".indexOf(line.charAt(i + 1)) >= 0) {
                    i++;
                }
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
