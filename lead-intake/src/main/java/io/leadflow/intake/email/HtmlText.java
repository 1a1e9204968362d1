package io.leadflow.intake.email;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.parser.Parser;
import org.jsoup.select.NodeVisitor;

/**
 * An HTML mail body as plain text, read with jsoup's HTML5 parser: entities decoded, script and style
 * dropped (they are data, not text), whitespace collapsed as a browser would, and a line break for
 * {@code <br>} and around every block element (paragraphs, divs, list items, table rows, headings...).
 *
 * <p>Only the first {@value #MAX_HTML_CHARS} characters are parsed: far more HTML than the text a lead
 * keeps or is read for, and it keeps the parse (linear, but allocating a tree) small.
 */
final class HtmlText {

    static final int MAX_HTML_CHARS = 1_000_000;
    /** Deeper elements are kept as siblings at this depth by jsoup: nesting says nothing about the text. */
    static final int MAX_DEPTH = 256;

    private HtmlText() {
    }

    /** The text of an HTML document or fragment; null for null. */
    static String toText(String html) {
        if (html == null) {
            return null;
        }
        String head = html.length() > MAX_HTML_CHARS ? html.substring(0, MAX_HTML_CHARS) : html;
        Element body = Jsoup.parse(head, "", Parser.htmlParser().setMaxDepth(MAX_DEPTH)).body();
        Collector text = new Collector();
        body.traverse(text); // iterative, whatever the depth
        return text.toString();
    }

    /** Appends text with collapsed whitespace; line breaks for blocks and {@code <br>}, at most one blank line in a row. */
    private static final class Collector implements NodeVisitor {

        private final StringBuilder out = new StringBuilder();
        private boolean pendingSpace;

        @Override
        public void head(Node node, int depth) {
            if (node instanceof TextNode text) {
                append(text.getWholeText());
            } else if (node instanceof Element element) {
                if (element.nameIs("br")) {
                    lineBreak(true);
                } else if (element.isBlock()) {
                    lineBreak(false);
                }
            }
        }

        @Override
        public void tail(Node node, int depth) {
            if (node instanceof Element element && element.isBlock()) {
                lineBreak(false);
            }
        }

        private void append(String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c) || c == '\u00a0') {
                    pendingSpace = true;
                } else {
                    if (pendingSpace && !out.isEmpty() && out.charAt(out.length() - 1) != '\n') {
                        out.append(' ');
                    }
                    pendingSpace = false;
                    out.append(c);
                }
            }
        }

        /** A break ends the line; a second one in a row ({@code <br><br>}) leaves one blank line, never more. */
        private void lineBreak(boolean always) {
            pendingSpace = false;
            if (out.isEmpty()) {
                return;
            }
            boolean atLineStart = out.charAt(out.length() - 1) == '\n';
            boolean afterBlankLine = out.length() >= 2 && atLineStart && out.charAt(out.length() - 2) == '\n';
            if (!atLineStart || (always && !afterBlankLine)) {
                out.append('\n');
            }
        }

        @Override
        public String toString() {
            int end = out.length();
            while (end > 0 && out.charAt(end - 1) == '\n') {
                end--;
            }
            return out.substring(0, end);
        }
    }
}
