package io.leadflow.intake.normalise;

import com.google.re2j.Pattern;

/**
 * Compiles the patterns that read untrusted text with RE2/J, whose matching time is linear in the input
 * (no backtracking, so no catastrophic cases and no stack overflow on long input). RE2 has no lookarounds
 * or backreferences; the patterns here are written without them.
 *
 * <p>One difference from {@code java.util.regex} would change results silently, so it is translated here:
 * RE2's {@code \s} leaves out the vertical tab ({@code \x0B}), Java's does not. Every {@code \s} is
 * compiled as Java's set, inside and outside character classes. {@code \d} and {@code \w} are ASCII in
 * both; {@code \b} is ASCII in RE2 as in {@code java.util.regex} since JDK 19 (on JDK 17 a word right
 * next to a non-ASCII letter, as in "ésso", had no boundary there).
 */
public final class LinearRegex {

    private static final String JAVA_WHITESPACE = "\\t\\n\\x0B\\f\\r ";

    private LinearRegex() {
    }

    public static Pattern compile(String regex) {
        return Pattern.compile(javaWhitespace(regex));
    }

    /** Case-insensitive (RE2 folds Unicode case; the patterns here are ASCII words). */
    public static Pattern compileIgnoreCase(String regex) {
        return Pattern.compile(javaWhitespace(regex), Pattern.CASE_INSENSITIVE);
    }

    /** {@code \s} as {@code [\t\n\x0B\f\r ]}, or those characters alone inside a character class. */
    static String javaWhitespace(String regex) {
        StringBuilder out = new StringBuilder(regex.length() + 16);
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                char next = regex.charAt(++i);
                if (next == 's') {
                    out.append(inClass ? JAVA_WHITESPACE : "[" + JAVA_WHITESPACE + "]");
                } else if (next == 'S') {
                    if (inClass) {
                        throw new IllegalArgumentException("\\S inside a character class: " + regex);
                    }
                    out.append("[^").append(JAVA_WHITESPACE).append(']');
                } else {
                    out.append(c).append(next);
                }
            } else {
                if (c == '[' && !inClass) {
                    inClass = true;
                } else if (c == ']' && inClass) {
                    inClass = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }
}
