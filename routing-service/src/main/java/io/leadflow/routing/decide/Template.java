package io.leadflow.routing.decide;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code because:} or {@code explanation:} sentence cut once into text and {@code {placeholders}}, so writing a
 * reason is appending pieces, with no pattern matching per lead. A placeholder that is not a {@link Words.Word}
 * stays as written (the loader rejects those, so only hand-built rules have them).
 */
final class Template {

    private final String[] texts;
    private final Words.Word[] words;

    private Template(String[] texts, Words.Word[] words) {
        this.texts = texts;
        this.words = words;
    }

    static Template parse(String template) {
        List<String> texts = new ArrayList<>();
        List<Words.Word> words = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            int end = c == '{' ? placeholderEnd(template, i) : -1;
            Words.Word word = end < 0 ? null : Words.Word.named(template.substring(i + 1, end));
            if (word == null) {
                int next = end < 0 ? i + 1 : end + 1;
                text.append(template, i, next);
                i = next;
            } else {
                texts.add(text.toString());
                words.add(word);
                text.setLength(0);
                i = end + 1;
            }
        }
        texts.add(text.toString());
        return new Template(texts.toArray(String[]::new), words.toArray(Words.Word[]::new));
    }

    /** The index of the '}' closing a placeholder of ASCII letters opened at {@code open}, or -1. */
    private static int placeholderEnd(String template, int open) {
        int i = open + 1;
        while (i < template.length() && isAsciiLetter(template.charAt(i))) {
            i++;
        }
        return i > open + 1 && i < template.length() && template.charAt(i) == '}' ? i : -1;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    String fill(Words words) {
        if (this.words.length == 0) {
            return texts[0];
        }
        StringBuilder sb = new StringBuilder(texts[0].length() + 64);
        sb.append(texts[0]);
        for (int i = 0; i < this.words.length; i++) {
            sb.append(words.get(this.words[i])).append(texts[i + 1]);
        }
        return sb.toString();
    }
}
