package io.leadflow.routing.rules;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Regular expressions from the rules file applied to what a lead wrote (a job title, a message). They are RE2
 * syntax run by RE2/J, so matching takes time linear in the text whatever the pattern (no backtracking); they are
 * case-insensitive and matched as whole words; only the first {@code maxChars} characters of a text are read.
 * The patterns of one list are one alternation, so a single pass tells whether any of them matches.
 */
public final class TextPattern {

    private static final TextPattern NONE = new TextPattern(List.of(), null, 0);

    private final List<String> sources;
    private final Pattern pattern;
    private final int maxChars;

    private TextPattern(List<String> sources, Pattern pattern, int maxChars) {
        this.sources = sources;
        this.pattern = pattern;
        this.maxChars = maxChars;
    }

    /** A pattern that matches nothing. */
    public static TextPattern none() {
        return NONE;
    }

    /** Any of {@code sources}, each already {@linkplain #problem(String) checked}. */
    public static TextPattern anyOf(List<String> sources, int maxChars) {
        if (sources.isEmpty()) {
            return NONE;
        }
        StringBuilder alternation = new StringBuilder();
        for (String source : sources) {
            alternation.append(alternation.isEmpty() ? "" : "|").append("(?:").append(source).append(')');
        }
        return new TextPattern(List.copyOf(sources), Pattern.compile(wholeWords(alternation.toString()), Pattern.CASE_INSENSITIVE), maxChars);
    }

    /** One pass for all of them: matches wherever one of {@code patterns} would. */
    public static TextPattern union(Collection<TextPattern> patterns, int maxChars) {
        List<String> sources = new ArrayList<>();
        patterns.forEach(p -> sources.addAll(p.sources));
        return anyOf(sources, maxChars);
    }

    /** What is wrong with {@code regex} as a pattern of a rules file, or null when nothing is. */
    public static String problem(String regex) {
        try {
            Pattern.compile(wholeWords(regex), Pattern.CASE_INSENSITIVE);
            if (Pattern.compile("(?:" + regex + ")").matches("")) {
                return "matches empty text, so it would match almost anything";
            }
            return null;
        } catch (PatternSyntaxException e) {
            return "is not a valid RE2 regular expression: " + e.getDescription();
        }
    }

    /** The first match in the text's first {@code maxChars} characters, or null (also for null text). */
    public String find(String text) {
        if (pattern == null || text == null || text.isEmpty()) {
            return null;
        }
        Matcher matcher = pattern.matcher(bounded(text));
        return matcher.find() ? matcher.group() : null;
    }

    public boolean matches(String text) {
        return find(text) != null;
    }

    public List<String> sources() {
        return sources;
    }

    public boolean isEmpty() {
        return pattern == null;
    }

    private CharSequence bounded(String text) {
        return text.length() > maxChars ? text.substring(0, maxChars) : text;
    }

    private static String wholeWords(String regex) {
        return "\\b(?:" + regex + ")\\b";
    }

    @Override
    public String toString() {
        return sources.toString();
    }
}
