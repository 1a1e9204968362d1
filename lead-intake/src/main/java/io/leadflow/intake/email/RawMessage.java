package io.leadflow.intake.email;

import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedByteArrayInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

/**
 * A full MIME message as SendGrid posts it in the {@code email} field when "POST the raw, full MIME
 * message" is on (https://www.twilio.com/docs/sendgrid/for-developers/parsing-email/setting-up-the-inbound-parse-webhook),
 * read with Jakarta Mail: its headers, and its body as text: the first text/plain part that is not an
 * attachment, else the first text/html part as text ({@link HtmlText}).
 *
 * <p>Jakarta Mail reads a multipart's boundary with a Boyer-Moore search whose tables cost the square
 * of the boundary's length, and copies each nested level again; so a multipart is only opened when its
 * boundary has RFC 2046's at most {@value #MAX_BOUNDARY_CHARS} characters, and no deeper than
 * {@value #MAX_DEPTH} levels. A part that cannot be decoded (a bad charset or transfer encoding) is skipped.
 *
 * @param headers by lower-cased name, first occurrence, unfolded
 * @param text    the body as text; null when the message has no readable text or HTML part
 */
record RawMessage(Map<String, String> headers, String text) {

    static final int MAX_BOUNDARY_CHARS = 70;
    static final int MAX_DEPTH = 8;

    private static final Session SESSION = Session.getInstance(mailProperties());

    static RawMessage parse(byte[] raw) {
        MimeMessage message;
        Map<String, String> headers;
        try {
            message = new MimeMessage(SESSION, new SharedByteArrayInputStream(raw));
            headers = MailHeaders.of(message.getAllHeaderLines());
        } catch (MessagingException e) {
            return new RawMessage(Map.of(), null); // only thrown for I/O errors, which a byte array does not have
        }
        String text = firstText(message, "text/plain", 0);
        if (text == null) {
            text = HtmlText.toText(firstText(message, "text/html", 0));
        }
        return new RawMessage(headers, text);
    }

    /** Depth first, in the order of the parts; null when there is none, or none that can be decoded. */
    private static String firstText(Part part, String type, int depth) {
        try {
            if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
                return null;
            }
            if (part.isMimeType(type)) {
                return content(part);
            }
            if (part.isMimeType("multipart/*") && depth < MAX_DEPTH && hasUsableBoundary(part)
                    && part.getContent() instanceof Multipart multipart) {
                for (int i = 0; i < multipart.getCount(); i++) {
                    String text = firstText(multipart.getBodyPart(i), type, depth + 1);
                    if (text != null) {
                        return text;
                    }
                }
            }
            return null;
        } catch (MessagingException | IOException e) {
            return null; // a header, charset or transfer encoding that cannot be read: not this part
        }
    }

    /** The part decoded with its charset, or as UTF-8 when Java does not know that charset. */
    private static String content(Part part) throws MessagingException, IOException {
        try {
            if (part.getContent() instanceof String s) {
                return s;
            }
        } catch (UnsupportedEncodingException e) {
            // an unknown charset: the decoded bytes as UTF-8 below
        }
        try (InputStream in = part.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static boolean hasUsableBoundary(Part part) throws MessagingException {
        String boundary = new ContentType(part.getContentType()).getParameter("boundary");
        return boundary != null && !boundary.isEmpty() && boundary.length() <= MAX_BOUNDARY_CHARS;
    }

    private static Properties mailProperties() {
        Properties properties = new Properties();
        // Headers may carry UTF-8 (RFC 6532), as SendGrid passes them on.
        properties.setProperty("mail.mime.allowutf8", "true");
        return properties;
    }
}
