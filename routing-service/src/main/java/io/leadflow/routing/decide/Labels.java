package io.leadflow.routing.decide;

import io.leadflow.avro.LeadSource;
import io.leadflow.avro.Need;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.Plan;
import io.leadflow.avro.PlanInterest;
import io.leadflow.avro.Region;

import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;

/** How values read in sentences and alerts: "Hands-on", "60,000,000", "project permissions". */
final class Labels {

    private Labels() {
    }

    public static String pipeline(Pipeline pipeline) {
        return switch (pipeline) {
            case SELF_SERVE -> "Self-serve";
            case HANDS_ON -> "Hands-on";
            default -> "Unknown";
        };
    }

    public static String plan(Plan plan) {
        return plan == null ? "unknown" : capitalised(plan.name());
    }

    public static String planInterest(PlanInterest interest) {
        return interest == PlanInterest.OPEN_SOURCE ? "Open source" : capitalised(interest.name());
    }

    public static String region(Region region) {
        return switch (region) {
            case US, EU -> region.name();
            case OTHER -> "Other";
            default -> "Unknown";
        };
    }

    public static String source(LeadSource source) {
        return switch (source) {
            case WEBSITE_FORM -> "Website form";
            case DEMO_BOOKING -> "Demo booking";
            case EMAIL -> "Email";
            default -> "Unknown";
        };
    }

    public static String need(Need need) {
        return switch (need) {
            case SSO, MSA -> need.name();
            case NON_STANDARD_BILLING -> "non-standard billing";
            case PRIVACY_COMPLIANCE -> "privacy compliance";
            default -> need.name().toLowerCase(Locale.ROOT).replace('_', ' ').replace("self ", "self-").replace("air ", "air-");
        };
    }

    public static String needs(Collection<Need> needs) {
        return needs.isEmpty() ? "none" : needs.stream().sorted().map(Labels::need).collect(Collectors.joining(", "));
    }

    /** A whole number with US grouping, as {@code NumberFormat.getIntegerInstance(Locale.US)} writes it, without building one per call. */
    public static String number(Long value) {
        return value == null ? "unknown" : grouped(value);
    }

    static String grouped(long value) {
        String digits = Long.toString(value);
        int sign = value < 0 ? 1 : 0;
        int length = digits.length() - sign;
        if (length <= 3) {
            return digits;
        }
        StringBuilder sb = new StringBuilder(digits.length() + (length - 1) / 3);
        int first = sign + (length % 3 == 0 ? 3 : length % 3);
        sb.append(digits, 0, first);
        for (int i = first; i < digits.length(); i += 3) {
            sb.append(',').append(digits, i, i + 3);
        }
        return sb.toString();
    }

    private static String capitalised(String name) {
        return name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
