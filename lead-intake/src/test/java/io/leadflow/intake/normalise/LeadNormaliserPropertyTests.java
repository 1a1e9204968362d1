package io.leadflow.intake.normalise;

import io.leadflow.avro.LeadReceived;
import io.leadflow.intake.Seeded;
import io.leadflow.intake.system.RejectedRequest;
import io.leadflow.intake.system.WebhookSource;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Whatever a lead's fields hold: a host is a valid host name or none, an email is a valid address or a
 * 400 naming its field, a country is an ISO code or none, and a draft becomes a lead.
 */
class LeadNormaliserPropertyTests {

    static final Set<String> ISO_CODES = Set.of(Locale.getISOCountries());

    record Fields(String name, String title, String company, String website, String country, String message) {
    }

    @TestFactory
    Stream<DynamicTest> readsAValidHostNameOrNoneFromAnyWebsite() {
        return Seeded.check(500, LeadNormaliserPropertyTests::anyText, website -> {
            String host = LeadNormaliser.host(website);

            if (host != null) {
                assertThat(host).hasSizeLessThanOrEqualTo(LeadNormaliser.MAX_HOST_CHARS).matches("[a-z0-9.-]+");
                assertThat(Arrays.stream(host.split("\\.", -1))).allSatisfy(label -> assertThat(label).isNotEmpty().hasSizeLessThanOrEqualTo(63));
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> readsAValidAddressOrRejectsTheField() {
        return Seeded.check(500, LeadNormaliserPropertyTests::anyText, raw -> {
            try {
                String email = LeadNormaliser.email(raw, "payload.email");
                assertThat(email).hasSizeLessThanOrEqualTo(LeadNormaliser.MAX_EMAIL_CHARS).isEqualTo(email.toLowerCase(Locale.ROOT)).contains("@");
            } catch (RejectedRequest e) {
                assertThat(e.status().value()).isEqualTo(400);
                assertThat(e.field()).isEqualTo("payload.email");
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> readsAnIsoCodeOrNoneFromAnyCountry() {
        return Seeded.check(500, LeadNormaliserPropertyTests::anyText, country ->
                assertThat(Countries.isoCode(country)).satisfiesAnyOf(
                        iso -> assertThat(iso).isEmpty(),
                        iso -> assertThat(iso).hasValueSatisfying(code -> assertThat(ISO_CODES).contains(code))));
    }

    @TestFactory
    Stream<DynamicTest> normalisesAnyDraftWithAValidEmail() {
        return Seeded.check(300, random -> new Fields(anyText(random), anyText(random), anyText(random), anyText(random),
                anyText(random), anyText(random)), fields -> {
            LeadDraft draft = new LeadDraft().email("jane@acme.com", "email").fullName(fields.name()).title(fields.title())
                    .company(fields.company()).website(fields.website()).country(fields.country()).message(fields.message());

            assertThatCode(() -> {
                LeadReceived lead = LeadNormaliser.normalise(draft, WebhookSource.WEBSITE, "s-1", Instant.EPOCH);
                assertThat(lead.getContact().getCompanyDomain()).isNotNull();
            }).doesNotThrowAnyException();
        });
    }

    /** Free text of any shape, URL- and address-like text, or long runs of host characters. */
    static String anyText(Seeded random) {
        return random.oneOf(FreeTextPropertyTests::anyText,
                r -> r.stringOf("abc.-:/@<>?#xn", 0, 600),
                r -> r.stringOf("abcdefghijklmnopqrstuvwxyz.-", 200, 20_000));
    }
}
