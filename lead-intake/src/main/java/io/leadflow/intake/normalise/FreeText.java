package io.leadflow.intake.normalise;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.leadflow.avro.Need;
import io.leadflow.avro.PlanInterest;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Every rule that reads sales signals from free text (email bodies, booking answers, form messages)
 * lives here, as tables: plan words, needs, volumes, Y Combinator, group demos, and whether a job
 * title is technical. Each rule is a regular expression over the lower-cased text; {@code FreeTextTests}
 * holds a table of examples for each.
 *
 * <p>Free text is untrusted and can be megabytes long (an email body): the rules are RE2 patterns
 * ({@link LinearRegex}), linear in the text, and only the first {@value #MAX_SIGNAL_CHARS} characters are
 * read for signals (what a lead says about itself comes first; quoted replies and signatures come last).
 */
public final class FreeText {

    /** What a piece of free text says; null/empty where it says nothing. */
    public record Signals(PlanInterest planInterest, Long monthlyEvents, Long monthlyActiveUsers, Set<Need> needs,
                          boolean yCombinator, boolean groupDemo) {
    }

    /** How much of a text is read for signals. */
    static final int MAX_SIGNAL_CHARS = 20_000;
    /** How far back from its limit a cut looks for whitespace, so no word is cut in two. */
    private static final int MAX_WORD_CHARS = 100;

    /** Plan words, most specific first: the first that matches wins. */
    static final List<Map.Entry<PlanInterest, Pattern>> PLAN_RULES = List.of(
            Map.entry(PlanInterest.ENTERPRISE, LinearRegex.compile("\\benterprise\\b")),
            Map.entry(PlanInterest.SCALE, LinearRegex.compile(
                    "\\bscale\\s+(?:plan|tier|licen[cs]e|edition|pricing|subscription)\\b|\\b(?:the|your|posthog)\\s+scale\\b")),
            Map.entry(PlanInterest.OPEN_SOURCE, LinearRegex.compile(
                    "\\bopen[\\s-]?source\\b|\\bfoss\\b|\\boss\\s+(?:version|edition|plan)\\b|\\bcommunity\\s+edition\\b")),
            Map.entry(PlanInterest.CLOUD, LinearRegex.compile(
                    "\\bcloud\\s+(?:plan|version|tier|account|offering|edition)\\b|\\b(?:posthog|your)\\s+cloud\\b|\\bhosted\\s+by\\s+you\\b")));

    /** Needs; every rule that matches adds its needs. */
    static final List<Map.Entry<Pattern, Set<Need>>> NEED_RULES = List.of(
            Map.entry(LinearRegex.compile("\\bsso\\b|\\bsaml\\b|single[\\s-]sign[\\s-]?on|\\bokta\\b|\\bazure\\s+ad\\b|\\bentra\\s+id\\b"),
                    Set.of(Need.SSO)),
            Map.entry(LinearRegex.compile("project[\\s-]+(?:level\\s+)?permissions?|role[\\s-]based\\s+access|\\brbac\\b|access\\s+control"),
                    Set.of(Need.PROJECT_PERMISSIONS)),
            Map.entry(LinearRegex.compile("self[\\s-]?host(?:ed|ing)?|on[\\s-]?prem(?:ise|ises)?\\b|our\\s+own\\s+(?:servers?|infrastructure|cloud|vpc)|in\\s+our\\s+(?:vpc|own\\s+cloud|data\\s?cent(?:er|re))|\\bkubernetes\\b|\\bhelm\\s+chart"),
                    Set.of(Need.SELF_HOSTING)),
            Map.entry(LinearRegex.compile("\\bhipaa\\b|\\bgdpr\\b|\\bsoc\\s?-?2\\b|\\bccpa\\b|\\bbaa\\b|data\\s+residency|compliance|\\bprivacy\\b|\\bpii\\b"),
                    Set.of(Need.PRIVACY_COMPLIANCE)),
            Map.entry(LinearRegex.compile("\\bmsa\\b|master\\s+(?:services?|subscription)\\s+agreement"),
                    Set.of(Need.MSA, Need.NON_STANDARD_BILLING)),
            Map.entry(LinearRegex.compile("\\b(?:annual|yearly|multi[\\s-]year)\\s+(?:contract|billing|plan|commitment|invoice|agreement|deal|subscription)|\\bpa(?:y|id)\\s+(?:annually|yearly|upfront|up\\s+front)\\b"),
                    Set.of(Need.NON_STANDARD_BILLING)),
            Map.entry(LinearRegex.compile("\\binvoic(?:e|es|ed|ing)\\b|purchase\\s+order|\\bpo\\s+number\\b|bank\\s+transfer|wire\\s+transfer"),
                    Set.of(Need.NON_STANDARD_BILLING)),
            Map.entry(LinearRegex.compile("air[\\s-]?gap(?:ped)?|offline\\s+(?:install|installation|deployment|environment)|no\\s+(?:outbound\\s+)?internet\\s+access"),
                    Set.of(Need.AIR_GAPPED, Need.SELF_HOSTING)));

    static final Pattern Y_COMBINATOR = LinearRegex.compile("\\by\\s?combinator\\b|\\byc\\b|\\bycombinator\\b");
    static final Pattern GROUP_DEMO = LinearRegex.compile("\\bgroup\\s+(?:demo|session|call|webinar)\\b");

    private static final String FILLER = "(?:\\s+(?:monthly|per\\s+month|a\\s+month|each\\s+month|every\\s+month|/\\s*month|/\\s*mo|total|tracked|analytics|product|unique))*";
    /**
     * Words between a unit and its quantity ("events: about 5m"). A quantity never starts right after a
     * dot (see {@link Volumes#QUANTITY_START}), and the only dots here are "approx." and "ca.": so when
     * the last word is one of those, whitespace must follow it ("approx. 5m", never "approx.5m").
     */
    private static final String LINK = "\\s*(?:(?:[:=~≈]|is|are|of|around|about|approx\\.?|roughly|ca\\.?|\\s)*"
            + "(?:[:=~≈]|is|are|of|around|about|approx|roughly|ca|\\s))?\\s*";
    private static final String QTY_FIRST = Volumes.QUANTITY_START + Volumes.NUMBER_AND_UNIT;
    private static final String QTY_LAST = Volumes.NUMBER_AND_UNIT + Volumes.QUANTITY_END;

    // A quantity followed by FILLER is followed by whitespace, so it never runs into a letter: no QUANTITY_END.
    static final Pattern EVENTS_AFTER = LinearRegex.compile(QTY_FIRST + FILLER + "\\s+events?\\b");
    static final Pattern EVENTS_BEFORE = LinearRegex.compile("\\bevents?" + FILLER + LINK + QTY_LAST);
    static final Pattern USERS_AFTER = LinearRegex.compile(QTY_FIRST + FILLER
            + "\\s+(?:maus?\\b|monthly\\s+active\\s+users|active\\s+users|users|visitors|unique\\s+users)");
    static final Pattern USERS_BEFORE = LinearRegex.compile("(?:\\bmaus?\\b|monthly\\s+active\\s+users|active\\s+users)" + LINK + QTY_LAST);

    /** Technical job titles; checked before the non-technical ones. */
    static final Pattern TECHNICAL_TITLE = LinearRegex.compile(
            "engineer|developer|\\bdev\\b|\\bcto\\b|architect|devops|\\bsre\\b|programmer|software|data\\s+scien|"
                    + "technical|\\btech\\s+lead\\b|vp\\s+(?:of\\s+)?engineering|head\\s+of\\s+(?:engineering|data|platform)|analyst");
    static final Pattern NON_TECHNICAL_TITLE = LinearRegex.compile(
            "marketing|sales|\\bgrowth\\b|\\bceo\\b|\\bcoo\\b|\\bcfo\\b|\\bcmo\\b|account\\s+(?:executive|manager)|"
                    + "\\bhr\\b|recruit|customer\\s+success|operations|procurement|designer|product\\s+manager|legal");

    private FreeText() {
    }

    /** Every signal in a piece of text (its first {@value #MAX_SIGNAL_CHARS} characters). */
    public static Signals read(String text) {
        return read(text, Stated.NOTHING);
    }

    /**
     * What a form states in fields of its own, so its free text is not searched for it: the field wins anyway, and the
     * plan and quantity patterns are the costliest part of reading a message.
     */
    public record Stated(boolean plan, boolean monthlyEvents, boolean monthlyActiveUsers) {

        public static final Stated NOTHING = new Stated(false, false, false);
    }

    /** The signals in a piece of text, leaving out (null) what {@code stated} says the form already gives. */
    public static Signals read(String text, Stated stated) {
        if (text == null || text.isBlank()) {
            return new Signals(null, null, null, Set.of(), false, false);
        }
        String lower = lower(text);
        return new Signals(stated.plan() ? null : plan(lower),
                stated.monthlyEvents() ? null : firstQuantity(lower, EVENTS_AFTER, EVENTS_BEFORE),
                stated.monthlyActiveUsers() ? null : firstQuantity(lower, USERS_AFTER, USERS_BEFORE), needs(lower),
                Y_COMBINATOR.matcher(lower).find(), GROUP_DEMO.matcher(lower).find());
    }

    /** True/false when the title says clearly; null when it does not (e.g. "Founder"). */
    public static Boolean technicalTitle(String title) {
        if (title == null || title.isBlank()) {
            return null;
        }
        String lower = lower(title);
        if (TECHNICAL_TITLE.matcher(lower).find()) {
            return true;
        }
        return NON_TECHNICAL_TITLE.matcher(lower).find() ? false : null;
    }

    private static PlanInterest plan(String lower) {
        for (Map.Entry<PlanInterest, Pattern> rule : PLAN_RULES) {
            if (rule.getValue().matcher(lower).find()) {
                return rule.getKey();
            }
        }
        return null;
    }

    private static Set<Need> needs(String lower) {
        Set<Need> needs = EnumSet.noneOf(Need.class);
        for (Map.Entry<Pattern, Set<Need>> rule : NEED_RULES) {
            if (rule.getKey().matcher(lower).find()) {
                needs.addAll(rule.getValue());
            }
        }
        return needs;
    }

    /** The first quantity the first pattern that has one finds; only each pattern's first match counts. */
    private static Long firstQuantity(String lower, Pattern... patterns) {
        for (Pattern pattern : patterns) {
            Matcher m = pattern.matcher(lower);
            if (m.find()) {
                OptionalLong value = Volumes.toLong(m.group(1), m.group(2));
                if (value.isPresent()) {
                    return value.getAsLong();
                }
            }
        }
        return null;
    }

    private static String lower(String text) {
        return head(text, MAX_SIGNAL_CHARS).toLowerCase(Locale.ROOT);
    }

    /**
     * At most the first {@code max} characters of a text: cut at the last whitespace in the last
     * {@value #MAX_WORD_CHARS} characters, so no word or number is cut in two, else at {@code max}
     * (never between the two halves of a surrogate pair).
     */
    public static String head(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        for (int cut = max; cut > max - MAX_WORD_CHARS && cut > 0; cut--) {
            if (Character.isWhitespace(text.charAt(cut))) {
                return text.substring(0, cut);
            }
        }
        return text.substring(0, Character.isLowSurrogate(text.charAt(max)) ? max - 1 : max);
    }
}
