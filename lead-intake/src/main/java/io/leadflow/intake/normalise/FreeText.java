package io.leadflow.intake.normalise;

import io.leadflow.avro.Need;
import io.leadflow.avro.PlanInterest;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every rule that reads sales signals from free text (email bodies, booking answers, form messages)
 * lives here, as tables: plan words, needs, volumes, Y Combinator, group demos, and whether a job
 * title is technical. Each rule is a case-insensitive regular expression; {@code FreeTextTests}
 * holds a table of examples for each.
 */
public final class FreeText {

    /** What a piece of free text says; null/empty where it says nothing. */
    public record Signals(PlanInterest planInterest, Long monthlyEvents, Long monthlyActiveUsers, Set<Need> needs,
                          boolean yCombinator, boolean groupDemo) {
    }

    /**
     * No case-insensitive flags: every entry point lower-cases its text once instead, which keeps each
     * pattern a plain literal match (case-insensitive Unicode matching was most of intake's CPU under load).
     */
    private static final int FLAGS = 0;

    /** Plan words, most specific first: the first that matches wins. */
    static final List<Map.Entry<PlanInterest, Pattern>> PLAN_RULES = List.of(
            Map.entry(PlanInterest.ENTERPRISE, Pattern.compile("\\benterprise\\b", FLAGS)),
            Map.entry(PlanInterest.SCALE, Pattern.compile(
                    "\\bscale\\s+(?:plan|tier|licen[cs]e|edition|pricing|subscription)\\b|\\b(?:the|your|posthog)\\s+scale\\b", FLAGS)),
            Map.entry(PlanInterest.OPEN_SOURCE, Pattern.compile(
                    "\\bopen[\\s-]?source\\b|\\bfoss\\b|\\boss\\s+(?:version|edition|plan)\\b|\\bcommunity\\s+edition\\b", FLAGS)),
            Map.entry(PlanInterest.CLOUD, Pattern.compile(
                    "\\bcloud\\s+(?:plan|version|tier|account|offering|edition)\\b|\\b(?:posthog|your)\\s+cloud\\b|\\bhosted\\s+by\\s+you\\b", FLAGS)));

    /** Needs; every rule that matches adds its needs. */
    static final List<Map.Entry<Pattern, Set<Need>>> NEED_RULES = List.of(
            Map.entry(Pattern.compile("\\bsso\\b|\\bsaml\\b|single[\\s-]sign[\\s-]?on|\\bokta\\b|\\bazure\\s+ad\\b|\\bentra\\s+id\\b", FLAGS),
                    Set.of(Need.SSO)),
            Map.entry(Pattern.compile("project[\\s-]+(?:level\\s+)?permissions?|role[\\s-]based\\s+access|\\brbac\\b|access\\s+control", FLAGS),
                    Set.of(Need.PROJECT_PERMISSIONS)),
            Map.entry(Pattern.compile("self[\\s-]?host(?:ed|ing)?|on[\\s-]?prem(?:ise|ises)?\\b|our\\s+own\\s+(?:servers?|infrastructure|cloud|vpc)|in\\s+our\\s+(?:vpc|own\\s+cloud|data\\s?cent(?:er|re))|\\bkubernetes\\b|\\bhelm\\s+chart", FLAGS),
                    Set.of(Need.SELF_HOSTING)),
            Map.entry(Pattern.compile("\\bhipaa\\b|\\bgdpr\\b|\\bsoc\\s?-?2\\b|\\bccpa\\b|\\bbaa\\b|data\\s+residency|compliance|\\bprivacy\\b|\\bpii\\b", FLAGS),
                    Set.of(Need.PRIVACY_COMPLIANCE)),
            Map.entry(Pattern.compile("\\bmsa\\b|master\\s+(?:services?|subscription)\\s+agreement", FLAGS),
                    Set.of(Need.MSA, Need.NON_STANDARD_BILLING)),
            Map.entry(Pattern.compile("\\b(?:annual|yearly|multi[\\s-]year)\\s+(?:contract|billing|plan|commitment|invoice|agreement|deal|subscription)|\\bpa(?:y|id)\\s+(?:annually|yearly|upfront|up\\s+front)\\b", FLAGS),
                    Set.of(Need.NON_STANDARD_BILLING)),
            Map.entry(Pattern.compile("\\binvoic(?:e|es|ed|ing)\\b|purchase\\s+order|\\bpo\\s+number\\b|bank\\s+transfer|wire\\s+transfer", FLAGS),
                    Set.of(Need.NON_STANDARD_BILLING)),
            Map.entry(Pattern.compile("air[\\s-]?gap(?:ped)?|offline\\s+(?:install|installation|deployment|environment)|no\\s+(?:outbound\\s+)?internet\\s+access", FLAGS),
                    Set.of(Need.AIR_GAPPED, Need.SELF_HOSTING)));

    static final Pattern Y_COMBINATOR = Pattern.compile("\\by\\s?combinator\\b|\\byc\\b|\\bycombinator\\b", FLAGS);
    static final Pattern GROUP_DEMO = Pattern.compile("\\bgroup\\s+(?:demo|session|call|webinar)\\b", FLAGS);

    private static final String QTY = Volumes.QUANTITY;
    private static final String FILLER = "(?:\\s+(?:monthly|per\\s+month|a\\s+month|each\\s+month|every\\s+month|/\\s*month|/\\s*mo|total|tracked|analytics|product|unique))*";
    private static final String LINK = "\\s*(?:[:=~≈]|is|are|of|around|about|approx\\.?|roughly|ca\\.?|\\s)*\\s*";

    static final Pattern EVENTS_AFTER = Pattern.compile(QTY + FILLER + "\\s+events?\\b", FLAGS);
    static final Pattern EVENTS_BEFORE = Pattern.compile("\\bevents?" + FILLER + LINK + QTY, FLAGS);
    static final Pattern USERS_AFTER = Pattern.compile(QTY + FILLER
            + "\\s+(?:maus?\\b|monthly\\s+active\\s+users|active\\s+users|users|visitors|unique\\s+users)", FLAGS);
    static final Pattern USERS_BEFORE = Pattern.compile("(?:\\bmaus?\\b|monthly\\s+active\\s+users|active\\s+users)" + LINK + QTY, FLAGS);

    /** Technical job titles; checked before the non-technical ones. */
    static final Pattern TECHNICAL_TITLE = Pattern.compile(
            "engineer|developer|\\bdev\\b|\\bcto\\b|architect|devops|\\bsre\\b|programmer|software|data\\s+scien|"
                    + "technical|\\btech\\s+lead\\b|vp\\s+(?:of\\s+)?engineering|head\\s+of\\s+(?:engineering|data|platform)|analyst", FLAGS);
    static final Pattern NON_TECHNICAL_TITLE = Pattern.compile(
            "marketing|sales|\\bgrowth\\b|\\bceo\\b|\\bcoo\\b|\\bcfo\\b|\\bcmo\\b|account\\s+(?:executive|manager)|"
                    + "\\bhr\\b|recruit|customer\\s+success|operations|procurement|designer|product\\s+manager|legal", FLAGS);

    private FreeText() {
    }

    /** Every signal in a piece of text. */
    public static Signals read(String text) {
        if (text == null || text.isBlank()) {
            return new Signals(null, null, null, Set.of(), false, false);
        }
        String lower = lower(text);
        return new Signals(plan(lower), events(lower), activeUsers(lower), needs(lower),
                Y_COMBINATOR.matcher(lower).find(), GROUP_DEMO.matcher(lower).find());
    }

    static PlanInterest plan(String text) {
        text = lower(text);
        for (Map.Entry<PlanInterest, Pattern> rule : PLAN_RULES) {
            if (rule.getValue().matcher(text).find()) {
                return rule.getKey();
            }
        }
        return null;
    }

    static Set<Need> needs(String text) {
        text = lower(text);
        Set<Need> needs = EnumSet.noneOf(Need.class);
        for (Map.Entry<Pattern, Set<Need>> rule : NEED_RULES) {
            if (rule.getKey().matcher(text).find()) {
                needs.addAll(rule.getValue());
            }
        }
        return needs;
    }

    static Long events(String text) {
        return firstQuantity(text, EVENTS_AFTER, EVENTS_BEFORE);
    }

    static Long activeUsers(String text) {
        return firstQuantity(text, USERS_AFTER, USERS_BEFORE);
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

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    private static Long firstQuantity(String text, Pattern... patterns) {
        String lower = lower(text);
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
}
