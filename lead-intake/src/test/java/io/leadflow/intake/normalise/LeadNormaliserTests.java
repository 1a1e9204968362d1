package io.leadflow.intake.normalise;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadSource;
import io.leadflow.avro.Need;
import io.leadflow.avro.PlanInterest;
import io.leadflow.avro.Region;
import io.leadflow.intake.system.RejectedRequest;
import io.leadflow.intake.system.WebhookSource;
import io.leadflow.schemas.LeadIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LeadNormaliserTests {

    @ParameterizedTest(name = "website \"{0}\" + email domain \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            https://www.Acme.com/pricing?x=1 | gmail.com     | acme.com
            acme.io                          | acme.com      | acme.io
                                             | acme.com      | acme.com
                                             | gmail.com     |
            https://gmail.com                | gmail.com     |
            http://mail.yahoo.co.uk          | yahoo.co.uk   |
            https://user@shop.example.org:8443/x | example.org | shop.example.org
            not a url                        | protonmail.com |
            """)
    void takesTheCompanyDomainFromWebsiteThenEmailButNeverFromFreeMail(String website, String emailDomain, String expected) {
        assertThat(LeadNormaliser.companyDomain(website, emailDomain)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            '  Jane.Doe@Acme.COM '           | jane.doe@acme.com
            Jane Doe <jane@acme.com>         | jane@acme.com
            mailto:bob+leads@acme.co.uk      | bob+leads@acme.co.uk
            """)
    void trimsLowerCasesAndUnwrapsEmails(String raw, String expected) {
        assertThat(LeadNormaliser.email(raw, "email")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\" is rejected")
    @ValueSource(strings = {"jane", "jane@", "@acme.com", "jane@acme", "jane doe@acme.com", "jane@acme..com"})
    void rejectsInvalidEmailsNamingTheField(String raw) {
        assertThatThrownBy(() -> LeadNormaliser.email(raw, "payload.email"))
                .isInstanceOfSatisfying(RejectedRequest.class, e -> assertThat(e.field()).isEqualTo("payload.email"));
    }

    @Test
    void normalisesADraftIntoALeadWithADerivedId() {
        LeadDraft draft = new LeadDraft()
                .email(" Jane@Acme.com ", "email")
                .fullName("Jane van Doe")
                .title("Staff Engineer")
                .company(" Acme ")
                .country("Deutschland")
                .monthlyEvents(60_000_000L)
                .message("We need SSO and an annual contract; about 80k MAU. We're YC S21.")
                .utm("utm_source", "google");

        LeadReceived lead = LeadNormaliser.normalise(draft, WebhookSource.WEBSITE, "sub-1", Instant.parse("2026-01-05T10:00:00Z"));

        assertThat(lead.getLeadId()).isEqualTo(LeadIds.leadId("WEBSITE_FORM", "sub-1"));
        assertThat(lead.getSource()).isEqualTo(LeadSource.WEBSITE_FORM);
        assertThat(lead.getContact().getEmail()).isEqualTo("jane@acme.com");
        assertThat(lead.getContact().getFirstName()).isEqualTo("Jane van");
        assertThat(lead.getContact().getLastName()).isEqualTo("Doe");
        assertThat(lead.getContact().getCompanyName()).isEqualTo("Acme");
        assertThat(lead.getContact().getCompanyDomain()).isEqualTo("acme.com");
        assertThat(lead.getContact().getCountry()).isEqualTo("DE");
        assertThat(lead.getContact().getRegion()).isEqualTo(Region.EU);
        assertThat(lead.getPlanInterest()).isEqualTo(PlanInterest.UNKNOWN);
        assertThat(lead.getMonthlyEvents()).isEqualTo(60_000_000L);
        assertThat(lead.getMonthlyActiveUsers()).isEqualTo(80_000L);
        assertThat(lead.getNeeds()).containsExactly(Need.SSO, Need.NON_STANDARD_BILLING);
        assertThat(lead.getTechnical()).isTrue();
        assertThat(lead.getYCombinator()).isTrue();
        assertThat(lead.getUtm()).containsEntry("source", "google");
        assertThat(lead.getReceivedAt()).isEqualTo(Instant.parse("2026-01-05T10:00:00Z"));
    }

    @Test
    void knowsTheCommonFreeMailDomains() {
        assertThat(FreemailDomains.size()).isGreaterThan(100);
        assertThat(FreemailDomains.isFreemail("GMAIL.com")).isTrue();
        assertThat(FreemailDomains.isFreemail("acme.com")).isFalse();
    }
}
