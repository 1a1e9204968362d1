package io.leadflow.intake.normalise;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a volume people type: {@code 50m}, {@code 50 million}, {@code 2.5M events}, {@code 2,000,000},
 * {@code 1.5 million}, {@code 500k}, {@code 1bn}, {@code 2 000 000}, {@code 1.000.000}. A range
 * ({@code 10-50m}, {@code 10m to 50m}, {@code between 10 and 50 million}) gives its upper bound, since
 * the routing rules ask whether a lead may exceed a threshold.
 */
public final class Volumes {

    /** A number, with thousands separators or a decimal part, and an optional magnitude word. */
    static final String QUANTITY =
            "(?<![\\d.,])(\\d{1,3}(?:[,.\\u00a0 ]\\d{3})+(?:[.,]\\d+)?|\\d+(?:[.,]\\d+)?)\\s*"
                    + "(k|thousand|thousands|m|mm|mn|mil|mill|million|millions|b|bn|billion|billions)?(?![a-z])";

    private static final Pattern QUANTITY_PATTERN = Pattern.compile(QUANTITY);
    private static final Pattern RANGE_HEAD = Pattern.compile(
            "^(?:between\\s+)?" + "(\\d+(?:[.,]\\d+)?)\\s*(?:k|m|mm|mn|million|millions|thousand|b|bn|billion)?\\s*(?:-|–|to|and)\\s*(?=\\d)");

    private Volumes() {
    }

    /** The volume in a piece of text that is only a volume (a form field); empty when there is none. */
    public static OptionalLong parse(String text) {
        if (text == null || text.isBlank()) {
            return OptionalLong.empty();
        }
        String s = text.toLowerCase(Locale.ROOT).trim();
        if (s.startsWith("-")) {
            return OptionalLong.empty();
        }
        // A range: keep the upper bound, which carries the unit for both ends ("10-50m").
        Matcher range = RANGE_HEAD.matcher(s);
        if (range.find()) {
            s = s.substring(range.end());
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
            value = new BigDecimal(plainNumber(number, unit != null));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
        value = value.multiply(BigDecimal.valueOf(multiplier(unit)));
        if (value.signum() < 0 || value.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(value.longValue());
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
        return n.matches("\\d{1,3}(\\" + separator + "\\d{3})+");
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
