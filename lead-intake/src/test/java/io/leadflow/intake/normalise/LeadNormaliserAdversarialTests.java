package io.leadflow.intake.normalise;

import io.leadflow.avro.LeadReceived;
import io.leadflow.intake.system.RejectedRequest;
import io.leadflow.intake.system.WebhookSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Websites, emails and whole drafts as an attacker fills them (a 1 MB JSON body, a 10 MB email): a host
 * or none, a 400 naming the field, a lead. A website of 5,000 characters overflowed the stack in the host
 * pattern; the 5 s guard only catches super-linear blow-ups.
 */
class LeadNormaliserAdversarialTests {

    static final Duration GUARD = Duration.ofSeconds(5);
    static final String LABEL_63 = "a".repeat(63);

    static Stream<Arguments> websites() {
        return Stream.of(
                arguments("'a.' x 2,500 then com", "a.".repeat(2_500) + "com", null),
                arguments("a host of 253 characters", "a.".repeat(125) + "com", "a.".repeat(125) + "com"),
                arguments("a host of 255 characters", "a.".repeat(126) + "com", null),
                arguments("labels of 63 characters", (LABEL_63 + ".").repeat(3) + "com", (LABEL_63 + ".").repeat(3) + "com"),
                arguments("a label of 64 characters", LABEL_63 + "a.com", null),
                arguments("a URL of a megabyte", "https://" + "a".repeat(1_000_000) + ".com/x", null),
                arguments("'-' x 100,000", "www." + "-".repeat(100_000), null),
                arguments("'<' x 100,000", "<".repeat(100_000), null),
                arguments("300 umlauts", "\u00fc".repeat(300) + ".de", null),
                arguments("an IDN host", "https://www.B\u00fccher.de/shop", "xn--bcher-kva.de"),
                arguments("a megabyte of dots", ".".repeat(1_000_000), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("websites")
    void readsAHostOrNoneFromAnyWebsite(String name, String website, String expected) {
        String host = assertTimeoutPreemptively(GUARD, () -> LeadNormaliser.host(website));

        assertThat(host).isEqualTo(expected);
    }

    @Test
    void takesTheCompanyDomainFromTheEmailWhenTheWebsiteIsHostile() {
        String domain = assertTimeoutPreemptively(GUARD, () -> LeadNormaliser.companyDomain("a.".repeat(500_000) + "com", "acme.com"));

        assertThat(domain).isEqualTo("acme.com");
    }

    static Stream<Arguments> hostileEmails() {
        return Stream.of(
                arguments("a megabyte before @", "a".repeat(1_000_000) + "@acme.com"),
                arguments("'a.' x 2,500 after @", "jane@" + "a.".repeat(2_500) + "com"),
                arguments("'<' x 100,000", "<".repeat(100_000)),
                arguments("255 characters", "a".repeat(64) + "@" + (LABEL_63 + ".").repeat(2) + "a".repeat(58) + ".com"),
                arguments("'@' x 1,000,000", "@".repeat(1_000_000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileEmails")
    void rejectsAHostileEmailNamingTheField(String name, String email) {
        assertTimeoutPreemptively(GUARD, () -> assertThatThrownBy(() -> LeadNormaliser.email(email, "payload.email"))
                .isInstanceOfSatisfying(RejectedRequest.class, e -> {
                    assertThat(e.status().value()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("payload.email");
                }));
    }

    @Test
    void acceptsAnEmailOf254Characters() {
        String email = "a".repeat(64) + "@" + (LABEL_63 + ".").repeat(2) + "a".repeat(57) + ".com";

        assertThat(email).hasSize(254);
        assertThat(LeadNormaliser.email(email, "email")).isEqualTo(email);
    }

    @Test
    void neverWalksAHostileDomainForFreeMail() {
        boolean freemail = assertTimeoutPreemptively(GUARD, () -> FreemailDomains.isFreemail("a.".repeat(500_000) + "gmail.com"));

        assertThat(freemail).isFalse();
    }

    @Test
    void normalisesADraftWhoseEveryFieldIsAtTheBodyLimits() {
        LeadDraft draft = new LeadDraft()
                .email("Jane <jane@acme.com>", "from")
                .fullName("x".repeat(1_000_000))
                .title("-".repeat(1_000_000))
                .company("<".repeat(1_000_000))
                .website("a.".repeat(500_000) + "com")
                .country("\u0301".repeat(1_000_000))
                .message("events" + " ".repeat(5_000) + "5m " + "lorem ipsum ".repeat(850_000));

        LeadReceived lead = assertTimeoutPreemptively(GUARD,
                () -> LeadNormaliser.normalise(draft, WebhookSource.MAILGUN, "m-1", Instant.parse("2026-01-05T10:00:00Z")));

        assertThat(lead.getContact().getEmail()).isEqualTo("jane@acme.com");
        assertThat(lead.getContact().getCompanyDomain()).isEqualTo("acme.com");
        assertThat(lead.getContact().getCountry()).isNull();
        assertThat(lead.getTechnical()).isNull();
        assertThat(lead.getMonthlyEvents()).isEqualTo(5_000_000L);
        assertThat(lead.getMessage()).hasSize(LeadNormaliser.MAX_MESSAGE_CHARS + 1).endsWith("…");
    }

    /** Unbounded, a company name that filled the body made a record Kafka refuses: a 503 the provider retried for ever. */
    @Test
    void keepsEveryTextOfALeadShortEnoughForKafkaWhateverTheFieldsHold() throws Exception {
        String mib = "Globex ".repeat(150_000);
        LeadDraft draft = new LeadDraft()
                .email("bob@globex.io", "payload.email")
                .firstName(mib)
                .lastName(mib)
                .title(mib)
                .company(mib)
                .demo(io.leadflow.avro.Demo.newBuilder().setStartsAt(Instant.parse("2026-01-05T15:00:00Z"))
                        .setBookingUrl("https://meet.example/" + mib).setProvider("calendly").build());
        for (int i = 0; i < 1_000; i++) {
            draft.utm("utm_k" + i + "x".repeat(1_000), mib.substring(0, 1_100));
        }

        LeadReceived lead = LeadNormaliser.normalise(draft, WebhookSource.CALENDLY, "https://api.calendly.com/invitees/1", Instant.EPOCH);

        assertThat(List.of(lead.getContact().getFirstName(), lead.getContact().getLastName(), lead.getContact().getTitle(),
                lead.getContact().getCompanyName(), lead.getDemo().getBookingUrl()))
                .allSatisfy(text -> assertThat(text).hasSize(LeadNormaliser.MAX_FIELD_CHARS + 1).endsWith("…"));
        assertThat(lead.getUtm()).hasSize(LeadNormaliser.MAX_UTM_ENTRIES);
        assertThat(lead.getUtm()).allSatisfy((key, value) -> {
            assertThat(key.length()).isLessThanOrEqualTo(LeadNormaliser.MAX_FIELD_CHARS + 1);
            assertThat(value.length()).isLessThanOrEqualTo(LeadNormaliser.MAX_FIELD_CHARS + 1);
        });
        assertThat(lead.toByteBuffer().remaining()).as("Avro bytes, under Kafka's default max.request.size").isLessThan(1 << 20);
    }

    @Test
    void cutsALongFieldWithoutSplittingASurrogatePair() {
        String name = "a".repeat(LeadNormaliser.MAX_FIELD_CHARS - 1) + "\ud83d\ude80" + "b".repeat(10);

        String cut = LeadNormaliser.bounded(name);

        assertThat(cut).isEqualTo("a".repeat(LeadNormaliser.MAX_FIELD_CHARS - 1) + "…");
    }
}
