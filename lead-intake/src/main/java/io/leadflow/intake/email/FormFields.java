package io.leadflow.intake.email;

import io.leadflow.intake.system.RejectedRequest;
import org.springframework.http.MediaType;

import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The fields of a form body that was read raw (so its signature could be checked first):
 * {@code application/x-www-form-urlencoded} or {@code multipart/form-data}. File parts (attachments)
 * are counted and dropped, never stored. The first value of a repeated field wins.
 */
final class FormFields {

    private record Field(byte[] bytes, Charset charset) {
    }

    private final Map<String, Field> fields;
    private final int attachments;

    private FormFields(Map<String, Field> fields, int attachments) {
        this.fields = fields;
        this.attachments = attachments;
    }

    static FormFields parse(byte[] body, String contentType) {
        MediaType type;
        try {
            type = MediaType.parseMediaType(contentType);
        } catch (IllegalArgumentException e) {
            throw RejectedRequest.invalid("Content-Type", "cannot be read");
        }
        if (MediaType.APPLICATION_FORM_URLENCODED.includes(type)) {
            return urlEncoded(body);
        }
        if (MediaType.MULTIPART_FORM_DATA.includes(type)) {
            String boundary = type.getParameter("boundary");
            if (boundary == null || boundary.isBlank()) {
                throw RejectedRequest.invalid("Content-Type", "multipart/form-data without a boundary");
            }
            return multipart(body, unquote(boundary));
        }
        throw RejectedRequest.invalid("Content-Type", "must be multipart/form-data or application/x-www-form-urlencoded");
    }

    /** A field decoded with its part's charset, else the given one; null when absent. */
    String get(String name, Charset fallback) {
        Field field = fields.get(name);
        if (field == null) {
            return null;
        }
        return new String(field.bytes(), field.charset() != null ? field.charset() : fallback);
    }

    String get(String name) {
        return get(name, StandardCharsets.UTF_8);
    }

    boolean isEmpty() {
        return fields.isEmpty();
    }

    int attachments() {
        return attachments;
    }

    private static FormFields urlEncoded(byte[] body) {
        Map<String, Field> fields = new LinkedHashMap<>();
        String text = new String(body, StandardCharsets.ISO_8859_1);
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                fields.putIfAbsent(name, new Field(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw RejectedRequest.invalid("body", "is not valid application/x-www-form-urlencoded");
            }
        }
        return new FormFields(fields, 0);
    }

    private static FormFields multipart(byte[] body, String boundary) {
        // ISO-8859-1 maps every byte to one char, so indexes in the string are indexes in the bytes.
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary;
        int start = text.indexOf(delimiter);
        if (start < 0) {
            throw RejectedRequest.invalid("body", "has no multipart boundary " + boundary);
        }
        Map<String, Field> fields = new LinkedHashMap<>();
        int attachments = 0;
        int pos = start + delimiter.length();
        while (true) {
            if (text.startsWith("--", pos)) {
                break; // closing delimiter
            }
            int headersStart = skipLineBreak(text, pos);
            int headersEnd = text.indexOf("\r\n\r\n", headersStart);
            int separator = 4;
            if (headersEnd < 0) {
                headersEnd = text.indexOf("\n\n", headersStart);
                separator = 2;
            }
            if (headersEnd < 0) {
                throw RejectedRequest.invalid("body", "has a multipart part without headers");
            }
            int contentStart = headersEnd + separator;
            int next = text.indexOf("\r\n" + delimiter, contentStart);
            int contentEnd = next;
            int afterContent = next + 2 + delimiter.length();
            if (next < 0) {
                next = text.indexOf("\n" + delimiter, contentStart);
                if (next < 0) {
                    throw RejectedRequest.invalid("body", "has an unterminated multipart part");
                }
                contentEnd = next;
                afterContent = next + 1 + delimiter.length();
            }
            Map<String, String> headers = headers(text.substring(headersStart, headersEnd));
            String disposition = headers.getOrDefault("content-disposition", "");
            String name = parameter(disposition, "name");
            String filename = parameter(disposition, "filename");
            if (filename != null) {
                attachments++;
            } else if (name != null) {
                byte[] bytes = new byte[contentEnd - contentStart];
                System.arraycopy(body, contentStart, bytes, 0, bytes.length);
                fields.putIfAbsent(name, new Field(bytes, charset(headers.get("content-type"))));
            }
            pos = afterContent;
            if (pos >= text.length()) {
                break;
            }
        }
        return new FormFields(fields, attachments);
    }

    private static int skipLineBreak(String text, int pos) {
        if (text.startsWith("\r\n", pos)) {
            return pos + 2;
        }
        return text.startsWith("\n", pos) ? pos + 1 : pos;
    }

    private static Map<String, String> headers(String block) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : block.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        return headers;
    }

    /** A parameter of a header value: {@code name} in {@code form-data; name="subject"}. */
    static String parameter(String headerValue, String parameter) {
        for (String piece : headerValue.split(";")) {
            int eq = piece.indexOf('=');
            if (eq > 0 && piece.substring(0, eq).trim().equalsIgnoreCase(parameter)) {
                return unquote(piece.substring(eq + 1).trim());
            }
        }
        return null;
    }

    private static Charset charset(String contentType) {
        if (contentType == null) {
            return null;
        }
        String name = parameter(contentType, "charset");
        try {
            return name == null ? null : Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
