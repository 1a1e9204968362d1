package io.leadflow.intake.email;

import io.leadflow.intake.system.RejectedRequest;
import org.apache.commons.fileupload2.core.MultipartInput;
import org.apache.commons.fileupload2.core.ParameterParser;
import org.springframework.http.MediaType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
 *
 * <p>Multipart bodies are read by Commons FileUpload's streaming {@link MultipartInput}, in one pass
 * (linear in the body), as RFC 7578 and RFC 2046 define them: delimiters and header blocks end in CRLF.
 * A body that does not (bare LF line ends, a part without headers, a boundary that never closes, a header
 * block over {@value #MAX_PART_HEADER_BYTES} bytes, more than {@value #MAX_FIELDS} parts) is a 400 naming
 * {@code body}.
 */
final class FormFields {

    /** Limit of one part's header block; a longer one is not a form field's. */
    static final int MAX_PART_HEADER_BYTES = 8 * 1024;
    /**
     * Limit of fields (multipart parts, or name=value pairs) in one body: Mailgun and SendGrid post a few
     * dozen plus one part per attachment. Tiny fields are cheap to send and each costs a map entry here
     * (FileUpload's {@code fileCountMax} and Tomcat's {@code maxParameterCount} guard the same way).
     */
    static final int MAX_FIELDS = 1_000;

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

    /** A field's bytes as sent; null when absent. */
    byte[] bytes(String name) {
        Field field = fields.get(name);
        return field == null ? null : field.bytes().clone();
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
        int pairs = 0;
        for (int start = 0, end; start <= text.length(); start = end + 1) {
            end = text.indexOf('&', start);
            if (end < 0) {
                end = text.length();
            }
            String pair = text.substring(start, end);
            if (pair.isEmpty()) {
                continue;
            }
            if (++pairs > MAX_FIELDS) {
                throw tooManyFields();
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
        MultipartInput input;
        try {
            input = MultipartInput.builder()
                    .setByteArray(body)
                    .setBoundary(boundary.getBytes(StandardCharsets.ISO_8859_1))
                    .setMaxPartHeaderSize(MAX_PART_HEADER_BYTES)
                    .get();
        } catch (IOException | IllegalArgumentException e) {
            throw RejectedRequest.invalid("Content-Type", "has a multipart boundary that cannot be used: " + e.getMessage());
        }
        input.setHeaderCharset(StandardCharsets.UTF_8);
        Map<String, Field> fields = new LinkedHashMap<>();
        int attachments = 0;
        try {
            if (!input.skipPreamble()) {
                throw RejectedRequest.invalid("body", "has no multipart boundary " + boundary);
            }
            boolean more = true;
            for (int parts = 1; more; parts++) {
                if (parts > MAX_FIELDS) {
                    throw tooManyFields();
                }
                Map<String, String> headers = headers(input.readHeaders());
                Map<String, String> disposition = parameters(headers.getOrDefault("content-disposition", ""));
                String name = disposition.get("name");
                if (disposition.containsKey("filename")) {
                    attachments++;
                    input.discardBodyData();
                } else if (name != null) {
                    ByteArrayOutputStream content = new ByteArrayOutputStream();
                    input.readBodyData(content);
                    fields.putIfAbsent(name, new Field(content.toByteArray(), charset(headers.get("content-type"))));
                } else {
                    input.discardBodyData();
                }
                more = input.readBoundary();
            }
        } catch (IOException e) {
            // MultipartInput.MalformedStreamException, FileUploadSizeException: both FileUploadException
            throw RejectedRequest.invalid("body", "is not valid multipart/form-data (RFC 7578): " + e.getMessage());
        }
        return new FormFields(fields, attachments);
    }

    private static RejectedRequest tooManyFields() {
        return RejectedRequest.invalid("body", "has more than " + MAX_FIELDS + " fields");
    }

    /** A part's header block (at most {@value #MAX_PART_HEADER_BYTES} bytes) by lower-cased name; folded lines joined. */
    private static Map<String, String> headers(String block) {
        Map<String, String> headers = new LinkedHashMap<>();
        String last = null;
        for (int start = 0, end; start < block.length(); start = end + 2) {
            end = block.indexOf("\r\n", start);
            if (end < 0) {
                end = block.length();
            }
            String line = block.substring(start, end);
            int colon = line.indexOf(':');
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && last != null) {
                headers.merge(last, " " + line.trim(), String::concat);
            } else if (colon > 0) {
                last = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                headers.put(last, line.substring(colon + 1).trim());
            }
        }
        return headers;
    }

    /** A parameter of a header value: {@code name} in {@code form-data; name="subject"}; null when absent. */
    static String parameter(String headerValue, String parameter) {
        return parameters(headerValue).get(parameter.toLowerCase(Locale.ROOT));
    }

    /** A header value's parameters by lower-cased name (quoted strings and RFC 2231 values decoded). */
    private static Map<String, String> parameters(String headerValue) {
        ParameterParser parser = new ParameterParser();
        parser.setLowerCaseNames(true);
        return parser.parse(headerValue, ';');
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
