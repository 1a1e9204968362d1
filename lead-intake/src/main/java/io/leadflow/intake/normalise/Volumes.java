package io.leadflow.intake.normalise;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Reads a volume people type: {@code 50m}, {@code 50 million}, {@code 2.5M events}, {@code 2,000,000},
 * {@code 1.5 million}, {@code 500k}, {@code 1bn}, {@code 2 000 000}, {@code 1.000.000}. A range
 * ({@code 10-50m}, {@code 10m to 50m}, {@code between 10 and 50 million}) gives its upper bound, since
 * the routing rules ask whether a lead may exceed a threshold.
 *
 * <p>Patterns are RE2 ({@link LinearRegex}), linear in the text. {@link BigDecimal}'s parsing is quadratic
 * in the number of digits, so a literal is cut down before it gets there: an integer part of more than
 * {@value #MAX_INTEGER_DIGITS} significant digits is more than a {@code long} holds (no volume), and
 * decimals past the {@value #MAX_FRACTION_DIGITS}th cannot change the count.
 */
public final class Volumes {

    /** A volume is a few words ("about 300k per month"): a longer field is read up to here. */
    static final int MAX_VOLUME_CHARS = 1_000;
    /** The digits of {@link Long#MAX_VALUE}. */
    static final int MAX_INTEGER_DIGITS = 19;
    /** More than the 9 that a magnitude (at most 10^9) can move before the point. */
    static final int MAX_FRACTION_DIGITS = 20;

    /**
     * Where a quantity may start: at the start of the text or after a character that cannot be part of a
     * number (no digit, dot or comma), so "1,5" is never read from "21,5". Consumed, since RE2 has no
     * lookbehind; group numbering is unaffected.
     */
    static final String QUANTITY_START = "(?:^|[^\\d.,])";

    /** Group 1 the number, with thousands separators or a decimal part; group 2 an optional magnitude word. */
    static final String NUMBER_AND_UNIT =
            "(\\d{1,3}(?:[,.\\x{00A0} ]\\d{3})+(?:[.,]\\d+)?|\\d+(?:[.,]\\d+)?)\\s*"
                    + "(k|thousand|thousands|m|mm|mn|mil|mill|million|millions|b|bn|billion|billions)?";

    /**
     * What may follow a quantity that ends a pattern: no letter, so "5 mins" is not "5 m". Consumed (RE2 has
     * no lookahead), which is harmless at the end of a pattern.
     */
    static final String QUANTITY_END = "(?:[^a-z]|$)";

    private static final Pattern QUANTITY_PATTERN = LinearRegex.compile(QUANTITY_START + NUMBER_AND_UNIT + QUANTITY_END);
    /** A range's lower bound up to the digit that starts its upper bound (consumed: the upper bound starts at end - 1). */
    private static final Pattern RANGE_HEAD = LinearRegex.compile(
            "^(?:between\\s+)?" + "(\\d+(?:[.,]\\d+)?)\\s*(?:k|m|mm|mn|million|millions|thousand|b|bn|billion)?\\s*(?:-|–|to|and)\\s*\\d");
    private static final Pattern GROUPED_BY_COMMAS = LinearRegex.compile("\\d{1,3}(?:,\\d{3})+");
    private static final Pattern GROUPED_BY_DOTS = LinearRegex.compile("\\d{1,3}(?:\\.\\d{3})+");

    private Volumes() {
    }

    /**
     * The volume in a piece of text that is only a volume (a form field, its first
     * {@value #MAX_VOLUME_CHARS} characters); empty when there is none.
     */
    public static OptionalLong parse(String text) {
        if (text == null || text.isBlank()) {
            return OptionalLong.empty();
        }
        String s = FreeText.head(text.trim(), MAX_VOLUME_CHARS).toLowerCase(Locale.ROOT).trim();
        if (s.startsWith("-")) {
            return OptionalLong.empty();
        }
        // A range: keep the upper bound, which carries the unit for both ends ("10-50m").
        Matcher range = RANGE_HEAD.matcher(s);
        if (range.find()) {
            s = s.substring(range.end() - 1);
        }
        Matcher m = QUANTITY_PATTERN.matcher(s);
        if (!m.find()) {
            return OptionalLong.empty();
        }
        return toLong(m.group(1), m.group(2));
    }

    /** Turns a matched number and magnitude word into a count; empty when it does not fit a long. */
    static OptionalLong toLong(String number, String unit) {
        BigDecimal value;
        try {
            value = decimal(plainNumber(number, unit != null));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
        if (value == null) {
            return OptionalLong.empty();
        }
        value = value.multiply(BigDecimal.valueOf(multiplier(unit)));
        if (value.signum() < 0 || value.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(value.longValue());
    }

    /**
     * The number, or null when its integer part has more significant digits than {@link Long#MAX_VALUE}.
     * Decimals are cut after {@value #MAX_FRACTION_DIGITS}: times a magnitude of at most 10^9 they cannot
     * reach the next whole count. Anything else that is not a number still throws, as BigDecimal does.
     */
    private static BigDecimal decimal(String plain) {
        int point = plain.indexOf('.');
        String integer = point < 0 ? plain : plain.substring(0, point);
        int first = 0;
        while (first < integer.length() - 1 && integer.charAt(first) == '0') {
            first++;
        }
        if (integer.length() - first > MAX_INTEGER_DIGITS) {
            return null;
        }
        if (point < 0) {
            return new BigDecimal(integer.substring(first));
        }
        return new BigDecimal(integer.substring(first) + plain.substring(point, Math.min(plain.length(), point + 1 + MAX_FRACTION_DIGITS)));
    }

    private static String plainNumber(String raw, boolean hasUnit) {
        String n = raw.replace("\u00a0", "").replace(" ", "");
        int commas = count(n, ',');
        int dots = count(n, '.');
        if (commas > 0 && dots > 0) {
            // The later separator is the decimal one: 1,234.5 or 1.234,5.
            boolean dotDecimal = n.lastIndexOf('.') > n.lastIndexOf(',');
            return dotDecimal ? n.replace(",", "") : n.replace(".", "").replace(',', '.');
        }
        if (commas > 0) {
            return isGrouped(n, ',') && !(hasUnit && commas == 1) ? n.replace(",", "") : n.replace(',', '.');
        }
        if (dots > 0) {
            // "1.000.000" and a bare "2.000" group thousands; "1.5", "2.5m" and "1.500 million" are decimals.
            return isGrouped(n, '.') && (dots > 1 || !hasUnit) ? n.replace(".", "") : n;
        }
        return n;
    }

    private static boolean isGrouped(String n, char separator) {
        return (separator == ',' ? GROUPED_BY_COMMAS : GROUPED_BY_DOTS).matches(n);
    }

    private static int count(String s, char c) {
        return (int) s.chars().filter(ch -> ch == c).count();
    }

    private static long multiplier(String unit) {
        if (unit == null) {
            return 1;
        }
        return switch (unit) {
            case "k", "thousand", "thousands" -> 1_000L;
            case "m", "mm", "mn", "mil", "mill", "million", "millions" -> 1_000_000L;
            case "b", "bn", "billion", "billions" -> 1_000_000_000L;
            default -> 1;
        };
    }
}
