package io.leadflow.intake.normalise;

import io.leadflow.avro.LeadReceived;
import io.leadflow.intake.system.RejectedRequest;
import io.leadflow.intake.system.WebhookSource;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Whatever a lead's fields hold: a host is a valid host name or none, an email is a valid address or a
 * 400 naming its field, a country is an ISO code or none, and a draft becomes a lead.
 */
class LeadNormaliserPropertyTests {

    static final Set<String> ISO_CODES = Set.of(Locale.getISOCountries());

    @Property(tries = 500)
    void readsAValidHostNameOrNoneFromAnyWebsite(@ForAll("anyText") String website) {
        String host = LeadNormaliser.host(website);

        if (host != null) {
            assertThat(host).hasSizeLessThanOrEqualTo(LeadNormaliser.MAX_HOST_CHARS).matches("[a-z0-9.-]+");
            assertThat(Arrays.stream(host.split("\\.", -1))).allSatisfy(label -> assertThat(label).isNotEmpty().hasSizeLessThanOrEqualTo(63));
        }
    }

    @Property(tries = 500)
    void readsAValidAddressOrRejectsTheField(@ForAll("anyText") String raw) {
        try {
            String email = LeadNormaliser.email(raw, "payload.email");
            assertThat(email).hasSizeLessThanOrEqualTo(LeadNormaliser.MAX_EMAIL_CHARS).isEqualTo(email.toLowerCase(Locale.ROOT)).contains("@");
        } catch (RejectedRequest e) {
            assertThat(e.status().value()).isEqualTo(400);
            assertThat(e.field()).isEqualTo("payload.email");
        }
    }

    @Property(tries = 500)
    void readsAnIsoCodeOrNoneFromAnyCountry(@ForAll("anyText") String country) {
        assertThat(Countries.isoCode(country)).satisfiesAnyOf(
                iso -> assertThat(iso).isEmpty(),
                iso -> assertThat(iso).hasValueSatisfying(code -> assertThat(ISO_CODES).contains(code)));
    }

    @Property(tries = 300)
    void normalisesAnyDraftWithAValidEmail(@ForAll("anyText") String name, @ForAll("anyText") String title, @ForAll("anyText") String company,
                                           @ForAll("anyText") String website, @ForAll("anyText") String country, @ForAll("anyText") String message) {
        LeadDraft draft = new LeadDraft().email("jane@acme.com", "email").fullName(name).title(title).company(company)
                .website(website).country(country).message(message);

        assertThatCode(() -> {
            LeadReceived lead = LeadNormaliser.normalise(draft, WebhookSource.WEBSITE, "s-1", Instant.EPOCH);
            assertThat(lead.getContact().getCompanyDomain()).isNotNull();
        }).doesNotThrowAnyException();
    }

    @Provide
    static Arbitrary<String> anyText() {
        return Arbitraries.oneOf(FreeTextPropertyTests.anyText(),
                Arbitraries.strings().withChars("abc.-:/@<>?#xn").ofMaxLength(600),
                Arbitraries.strings().withCharRange('a', 'z').withChars('.', '-').ofMinLength(200).ofMaxLength(20_000));
    }
}
