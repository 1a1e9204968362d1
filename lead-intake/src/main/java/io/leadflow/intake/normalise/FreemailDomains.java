package io.leadflow.intake.normalise;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** The free-mail domains of {@code freemail-domains.txt}: an address there never names a company. */
final class FreemailDomains {

    static final String RESOURCE = "/freemail-domains.txt";

    private static final Set<String> DOMAINS = load();

    private FreemailDomains() {
    }

    /** True for a listed domain or any subdomain of one ({@code mail.yahoo.co.uk}). */
    public static boolean isFreemail(String domain) {
        if (domain == null || domain.isBlank()) {
            return false;
        }
        String d = domain.toLowerCase(Locale.ROOT).trim();
        if (d.length() > LeadNormaliser.MAX_HOST_CHARS) {
            return false; // no host name is longer, and each parent below is a copy: keep that quadratic walk short
        }
        while (true) {
            if (DOMAINS.contains(d)) {
                return true;
            }
            int dot = d.indexOf('.');
            if (dot < 0 || d.indexOf('.', dot + 1) < 0) {
                return false;
            }
            d = d.substring(dot + 1);
        }
    }

    static int size() {
        return DOMAINS.size();
    }

    private static Set<String> load() {
        try (InputStream in = FreemailDomains.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            Set<String> domains = new HashSet<>();
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .map(String::trim)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(line -> line.toLowerCase(Locale.ROOT))
                    .forEach(domains::add);
            return Set.copyOf(domains);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
