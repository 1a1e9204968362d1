package io.leadflow.notifier.templates;

import io.leadflow.avro.AlertField;
import io.leadflow.avro.AlertLink;
import io.leadflow.avro.RepAlert;
import io.leadflow.notifier.slack.SlackClient;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Several new leads for one channel in as few messages as Slack's limits allow: a header, then one line per lead
 * (newest first) with the lead's key fields and its HubSpot and booking links, packed into section blocks, then when
 * the oldest and the newest arrived. A lead whose alert has buttons (Accept, Pass) gets a section of its own and its
 * buttons below it, in an actions block named after its alert as on its own message; so a digest holds at most 24 of
 * them, and an accept or a reassignment changes that lead's buttons alone ({@link Templates#digestUpdate}).
 * <p>
 * Limits kept per message: at most 50 blocks, at most 3,000 characters in a section's text
 * (https://docs.slack.dev/reference/block-kit/blocks/section-block), and at most {@code maxChars} characters of text
 * in all (fallback text and every block's text together). Slack documents 40,000 characters for a message's text
 * (https://docs.slack.dev/reference/methods/chat.postMessage), but answers {@code msg_blocks_too_long} to blocks
 * holding about 13,000 characters in all (slackapi/bolt-js issues 2509 and 2867), so the default budget is lower.
 * <p>
 * Every message carries the id of each alert it lists in its metadata ({@code event_payload.alerts[].alertId}, an array
 * of objects as Slack's metadata payload allows; {@code event_payload.alertId} is the newest one), so the notifier
 * finds each alert in the channel's history after a crash.
 */
final class DigestTemplate {

    /** Characters kept for what every message has besides its lines: header, context and fallback text. */
    static final int OVERHEAD = 600;
    static final int MAX_LINE_BLOCKS = BlockKit.MAX_BLOCKS - 2;

    private static final int MAX_FALLBACK = 300;
    /** Characters a lead's buttons add to a message's text (their labels), counted against its budget. */
    private static final int BUTTONS_CHARS = 40;
    private static final int MAX_URL = 500;

    List<Templates.DigestMessage> render(String channel, List<Templates.DigestItem> newestFirst, int maxChars) {
        List<List<Templates.DigestItem>> messages = new ArrayList<>();
        List<List<Piece>> piecesPerMessage = new ArrayList<>();
        List<Templates.DigestItem> items = new ArrayList<>();
        List<Piece> pieces = new ArrayList<>();
        StringBuilder section = new StringBuilder();
        int chars = 0;
        for (Templates.DigestItem item : newestFirst) {
            String line = line(item.alert(), item.hubspot());
            boolean interactive = !item.alert().getButtons().isEmpty();
            int length = line.length() + 1 + (interactive ? BUTTONS_CHARS : 0);
            boolean newSection = !interactive && section.length() > 0 && section.length() + 1 + line.length() > BlockKit.MAX_SECTION_TEXT;
            int added = interactive ? 2 : section.length() == 0 || newSection ? 1 : 0;
            int blocks = blocks(pieces) + (section.length() > 0 ? 1 : 0) + added;
            boolean full = !items.isEmpty() && (chars + length > maxChars - OVERHEAD || blocks > MAX_LINE_BLOCKS);
            if (full || newSection || (interactive && section.length() > 0)) {
                if (section.length() > 0) {
                    pieces.add(new Piece(section.toString(), null));
                    section = new StringBuilder();
                }
            }
            if (full) {
                messages.add(items);
                piecesPerMessage.add(pieces);
                items = new ArrayList<>();
                pieces = new ArrayList<>();
                chars = 0;
            }
            if (interactive) {
                pieces.add(new Piece(line, item.alert()));
            } else {
                if (section.length() > 0) {
                    section.append('\n');
                }
                section.append(line);
            }
            chars += length;
            items.add(item);
        }
        if (!items.isEmpty()) {
            if (section.length() > 0) {
                pieces.add(new Piece(section.toString(), null));
            }
            messages.add(items);
            piecesPerMessage.add(pieces);
        }
        List<Templates.DigestMessage> rendered = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            rendered.add(message(channel, messages.get(i), piecesPerMessage.get(i), i + 1, messages.size()));
        }
        return rendered;
    }

    /**
     * Lines of leads without buttons, packed into one section ({@code buttonsOf} null); or one lead whose alert has
     * buttons (Accept, Pass): its line as a section of its own, then its buttons as an actions block named after its
     * alert, so a click names the lead as on its own message and an update can change that lead's blocks alone.
     */
    private record Piece(String text, RepAlert buttonsOf) {
        int blocks() {
            return buttonsOf == null ? 1 : 2;
        }
    }

    private static int blocks(List<Piece> pieces) {
        return pieces.stream().mapToInt(Piece::blocks).sum();
    }

    private static Templates.DigestMessage message(String channel, List<Templates.DigestItem> items, List<Piece> pieces,
                                                   int part, int parts) {
        String count = items.size() == 1 ? "1 new lead" : items.size() + " new leads";
        String header = parts == 1 ? count : count + " (" + part + " of " + parts + ")";
        BlockKit kit = new BlockKit().header(header);
        for (Piece piece : pieces) {
            kit.section(piece.text());
            if (piece.buttonsOf() != null) {
                kit.interactive(piece.buttonsOf().getAlertId(), piece.buttonsOf().getButtons());
            }
        }
        kit.context(context(items, part < parts));
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put("channel", channel);
        message.put("text", fallback(count, items));
        message.set("blocks", kit.blocks());
        ObjectNode payload = message.putObject("metadata").put("event_type", SlackClient.METADATA_EVENT_TYPE)
                .putObject("event_payload");
        payload.put(SlackClient.METADATA_ALERT_ID, items.get(0).alert().getAlertId())
                .put("kind", items.get(0).alert().getKind().name())
                .put("count", items.size());
        ArrayNode alerts = payload.putArray(SlackClient.METADATA_ALERTS);
        items.forEach(item -> alerts.addObject().put(SlackClient.METADATA_ALERT_ID, item.alert().getAlertId()));
        message.put("unfurl_links", false).put("unfurl_media", false);
        return new Templates.DigestMessage(items.stream().map(Templates.DigestItem::alert).toList(), message);
    }

    private static String context(List<Templates.DigestItem> newestFirst, boolean more) {
        StringBuilder context = new StringBuilder("Newest first");
        Instant newest = receivedAt(newestFirst.get(0).alert());
        Instant oldest = receivedAt(newestFirst.get(newestFirst.size() - 1).alert());
        if (newest != null && oldest != null) {
            context.append(", received ").append(BlockKit.localClock(oldest)).append('–').append(BlockKit.localClock(newest));
        }
        if (more) {
            context.append("; older leads follow in the next message");
        }
        return context.append(" · each lead's reasons, flags and next steps are in HubSpot").toString();
    }

    private static Instant receivedAt(RepAlert alert) {
        return alert.getLeadReceivedAt() != null ? alert.getLeadReceivedAt() : alert.getCreatedAt();
    }

    private static String fallback(String count, List<Templates.DigestItem> items) {
        StringBuilder text = new StringBuilder(count).append(": ");
        int listed = 0;
        for (Templates.DigestItem item : items) {
            String company = Mrkdwn.escape(company(item.alert()), 60);
            if (text.length() + company.length() + 20 > MAX_FALLBACK) {
                break;
            }
            text.append(listed == 0 ? "" : ", ").append(company);
            listed++;
        }
        if (listed < items.size()) {
            text.append(" and ").append(items.size() - listed).append(" more");
        }
        return text.toString();
    }

    /**
     * {@code • *Acme* — Hands-on · Enterprise · EU (DE) · Demo at … · Jane Doe <jane@acme.io> · HubSpot deal · Demo booking}:
     * short enough (about 200 characters) that some 60 leads fit in one message.
     */
    static String line(RepAlert alert, Optional<AlertLink> hubspot) {
        StringBuilder line = new StringBuilder("• ");
        line.append('*').append(Mrkdwn.escape(company(alert), 80)).append('*');
        List<String> facts = new ArrayList<>();
        value(alert, "Pipeline").ifPresent(facts::add);
        value(alert, "Recommended plan").or(() -> value(alert, "Plan interest")).ifPresent(facts::add);
        value(alert, "Region").ifPresent(facts::add);
        value(alert, "Source").ifPresent(facts::add);
        value(alert, "Contact").ifPresent(facts::add);
        String separator = " — ";
        for (String fact : facts) {
            line.append(separator).append(Mrkdwn.escape(fact, 120));
            separator = " · ";
        }
        List<AlertLink> links = new ArrayList<>();
        hubspot.ifPresent(links::add);
        alert.getLinks().stream().filter(own -> hubspot.map(h -> !h.getUrl().equals(own.getUrl())).orElse(true)).forEach(links::add);
        for (AlertLink link : links) {
            String url = link.getUrl() == null ? "" : link.getUrl().trim();
            if (BlockKit.isWebLink(url) && url.length() <= MAX_URL) {
                // In mrkdwn a link is <url|label>; &, < and > are control characters, also inside the URL
                // (https://docs.slack.dev/messaging/formatting-message-text/).
                line.append(separator).append('<').append(Mrkdwn.escape(url).replace("|", "%7C")).append('|')
                        .append(Mrkdwn.escape(link.getLabel(), 40).replace("|", "/")).append('>');
                separator = " · ";
            }
        }
        return line.toString();
    }

    private static String company(RepAlert alert) {
        return value(alert, "Company").orElse(alert.getTitle());
    }

    private static Optional<String> value(RepAlert alert, String label) {
        for (AlertField field : alert.getFields()) {
            if (label.equals(field.getLabel()) && field.getValue() != null && !field.getValue().isBlank()) {
                return Optional.of(field.getValue().strip());
            }
        }
        return Optional.empty();
    }
}
