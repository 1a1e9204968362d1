package io.leadflow.intake.normalise;

import com.google.re2j.Pattern;
import io.leadflow.avro.Region;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Country names, ISO codes and common aliases to ISO 3166 alpha-2, and alpha-2 to the routing region.
 * Names come from the JDK's locale data in English, German, French, Spanish, Italian, Dutch and
 * Portuguese; the alias table adds what people type that no locale spells ("USA", "UK", "England").
 */
final class Countries {

    /** EU member states plus the EEA (Iceland, Liechtenstein, Norway). */
    static final Set<String> EU_AND_EEA = Set.of(
            "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
            "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO");

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("usa", "US"), Map.entry("us", "US"), Map.entry("america", "US"),
            Map.entry("united states of america", "US"), Map.entry("united states", "US"), Map.entry("estados unidos", "US"),
            Map.entry("uk", "GB"), Map.entry("great britain", "GB"), Map.entry("britain", "GB"),
            Map.entry("england", "GB"), Map.entry("scotland", "GB"), Map.entry("wales", "GB"),
            Map.entry("northern ireland", "GB"), Map.entry("united kingdom of great britain and northern ireland", "GB"),
            Map.entry("holland", "NL"), Map.entry("netherlands", "NL"),
            Map.entry("czech republic", "CZ"), Map.entry("south korea", "KR"), Map.entry("korea", "KR"),
            Map.entry("republic of korea", "KR"), Map.entry("russian federation", "RU"), Map.entry("turkey", "TR"), Map.entry("turkiye", "TR"),
            Map.entry("ivory coast", "CI"), Map.entry("uae", "AE"), Map.entry("viet nam", "VN"),
            Map.entry("swiss", "CH"), Map.entry("schweiz", "CH"), Map.entry("osterreich", "AT"),
            Map.entry("espana", "ES"), Map.entry("mainland china", "CN"), Map.entry("prc", "CN"),
            Map.entry("taiwan roc", "TW"), Map.entry("hong kong sar", "HK"), Map.entry("burma", "MM"),
            Map.entry("eire", "IE"), Map.entry("republic of ireland", "IE"));

    /** Longer than any name, code or alias (the longest, "United Kingdom of Great Britain and Northern Ireland", has 52). */
    static final int MAX_NAME_CHARS = 100;

    private static final Pattern MARKS = LinearRegex.compile("\\p{M}+");
    private static final Pattern NOT_ALPHANUMERIC = LinearRegex.compile("[^a-z0-9 ]");
    private static final Pattern WHITESPACE = LinearRegex.compile("\\s+");

    private static final Map<String, String> BY_NAME = buildIndex();

    private Countries() {
    }

    /** The ISO alpha-2 code for a name, code or alias; empty when it names no country. */
    public static Optional<String> isoCode(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String name = text.trim();
        if (name.length() > MAX_NAME_CHARS) {
            return Optional.empty();
        }
        return Optional.ofNullable(BY_NAME.get(key(name)));
    }

    /** US, EU (incl. EEA), OTHER for any other known country, UNKNOWN when there is no country. */
    public static Region region(String isoCode) {
        if (isoCode == null) {
            return Region.UNKNOWN;
        }
        if (isoCode.equals("US")) {
            return Region.US;
        }
        return EU_AND_EEA.contains(isoCode) ? Region.EU : Region.OTHER;
    }

    private static Map<String, String> buildIndex() {
        Map<String, String> index = new HashMap<>();
        Locale[] languages = {Locale.ENGLISH, Locale.GERMAN, Locale.FRENCH, Locale.ITALIAN,
                Locale.forLanguageTag("es"), Locale.forLanguageTag("nl"), Locale.forLanguageTag("pt")};
        for (String code : Locale.getISOCountries()) {
            Locale country = new Locale.Builder().setRegion(code).build();
            index.put(key(code), code);
            try {
                index.put(key(country.getISO3Country()), code);
            } catch (java.util.MissingResourceException ignored) {
                // no alpha-3 code known for this region
            }
            for (Locale language : languages) {
                index.putIfAbsent(key(country.getDisplayCountry(language)), code);
            }
        }
        ALIASES.forEach((alias, code) -> index.put(key(alias), code));
        return Map.copyOf(index);
    }

    /** Lower case, accents and punctuation removed, a leading "the" dropped: "The Netherlands" = "netherlands". */
    static String key(String text) {
        String s = MARKS.matcher(Normalizer.normalize(text.trim(), Normalizer.Form.NFD)).replaceAll("");
        s = s.toLowerCase(Locale.ROOT).replace(".", "").replace("&", "and");
        s = WHITESPACE.matcher(NOT_ALPHANUMERIC.matcher(s).replaceAll(" ")).replaceAll(" ").trim();
        if (s.startsWith("the ")) {
            s = s.substring(4);
        }
        return s;
    }
}
