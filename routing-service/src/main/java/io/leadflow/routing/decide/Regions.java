package io.leadflow.routing.decide;

import io.leadflow.avro.Region;

import java.util.Set;

/** The region of an ISO 3166-1 alpha-2 country code, as lead-intake assigns it: US, the EU and EEA, or other. */
public final class Regions {

    private static final Set<String> EU_AND_EEA = Set.of("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR",
            "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO");

    private Regions() {
    }

    public static Region of(String country) {
        if (country == null) {
            return Region.UNKNOWN;
        }
        if (country.equals("US")) {
            return Region.US;
        }
        return EU_AND_EEA.contains(country) ? Region.EU : Region.OTHER;
    }
}
