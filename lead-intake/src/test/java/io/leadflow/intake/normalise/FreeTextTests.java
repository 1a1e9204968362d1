package io.leadflow.intake.normalise;

import io.leadflow.avro.Need;
import io.leadflow.avro.PlanInterest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class FreeTextTests {

    @ParameterizedTest(name = "\"{0}\" asks for {1}")
    @CsvSource(delimiter = '|', textBlock = """
            We are looking at your enterprise offering        | ENTERPRISE
            Interested in the Scale plan for our team         | SCALE
            Can we self-host the open source version?         | OPEN_SOURCE
            Happy to start on PostHog Cloud                   | CLOUD
            We'd like a cloud account for 3 engineers         | CLOUD
            Enterprise vs scale plan, which one?              | ENTERPRISE
            """)
    void readsPlanWords(String text, PlanInterest expected) {
        assertThat(FreeText.read(text).planInterest()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\" says no plan")
    @CsvSource(delimiter = '|', textBlock = """
            We operate at scale across Europe
            Our stack runs on AWS cloud infrastructure
            """)
    void doesNotReadPlansIntoOrdinaryWords(String text) {
        assertThat(FreeText.read(text).planInterest()).isNull();
    }

    @ParameterizedTest(name = "\"{0}\" needs {1}")
    @CsvSource(delimiter = '|', textBlock = """
            We need SSO with Okta                                  | SSO
            SAML single sign-on is a must                          | SSO
            Project permissions per team please                    | PROJECT_PERMISSIONS
            We must self-host in our own VPC                       | SELF_HOSTING
            On-prem deployment only                                | SELF_HOSTING
            HIPAA applies to us, we need a BAA                     | PRIVACY_COMPLIANCE
            GDPR and data residency in the EU                      | PRIVACY_COMPLIANCE
            Legal wants an MSA                                     | MSA NON_STANDARD_BILLING
            Could we sign a master services agreement?             | MSA NON_STANDARD_BILLING
            We prefer an annual contract                           | NON_STANDARD_BILLING
            Can you send an invoice instead of card payments?      | NON_STANDARD_BILLING
            Our network is air-gapped                              | AIR_GAPPED SELF_HOSTING
            """)
    void readsNeeds(String text, String needs) {
        Set<Need> expected = EnumSet.noneOf(Need.class);
        Arrays.stream(needs.split(" ")).map(Need::valueOf).forEach(expected::add);
        assertThat(FreeText.read(text).needs()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\" has {1} events and {2} users")
    @CsvSource(delimiter = '|', textBlock = """
            We send about 50m events a month                     | 50000000 |
            roughly 2.5M events per month from 20k MAU           | 2500000  | 20000
            Events: 1.5 million                                  | 1500000  |
            "2,000,000 monthly events, 40,000 monthly active users" | 2000000 | 40000
            We have 300k users but no idea about events          |          | 300000
            MAU ~ 12k                                            |          | 12000
            """)
    void readsVolumesNextToTheirUnit(String text, Long events, Long users) {
        FreeText.Signals signals = FreeText.read(text);
        assertThat(signals.monthlyEvents()).isEqualTo(events);
        assertThat(signals.monthlyActiveUsers()).isEqualTo(users);
    }

    @Test
    void whatAFormStatesInItsOwnFieldsIsNotLookedForInItsMessage() {
        String text = "We are on the scale plan with 2.5M events per month from 20k MAU and need SSO";
        FreeText.Signals all = FreeText.read(text);
        assertThat(all.planInterest()).isEqualTo(PlanInterest.SCALE);
        assertThat(all.monthlyEvents()).isEqualTo(2_500_000L);
        assertThat(all.monthlyActiveUsers()).isEqualTo(20_000L);

        FreeText.Signals rest = FreeText.read(text, new FreeText.Stated(true, true, false));

        assertThat(rest.planInterest()).isNull();
        assertThat(rest.monthlyEvents()).isNull();
        assertThat(rest.monthlyActiveUsers()).isEqualTo(20_000L);
        assertThat(rest.needs()).isEqualTo(all.needs()).isNotEmpty();
    }

    @ParameterizedTest(name = "\"{0}\" has {1} events")
    @CsvSource(delimiter = '|', textBlock = """
            version 2.5m events                    | 2500000
            "events: 1,500,000"                    | 1500000
            events approx. 5m                      | 5000000
            events approx.5m                       |
            events ca. 3k                          | 3000
            .5m events                             |
            "21,5m events"                         | 21500000
            "events: 5 mins"                       | 5
            events: 5mins                          |
            9223372036854775807 events             | 9223372036854775807
            9223372036854775808 events             |
            """)
    void readsAQuantityOnlyWhereNoDigitDotOrCommaPrecedesItAndNoLetterFollowsIt(String text, Long events) {
        assertThat(FreeText.read(text).monthlyEvents()).isEqualTo(events);
    }

    @Test
    void readsSignalsFromTheFirstCharactersOnlyAndNeverFromAWordCutInTwo() {
        String upToTheLimit = "x".repeat(FreeText.MAX_SIGNAL_CHARS - "enterprise".length() - 1) + " ";
        String wordAcrossTheLimit = "x".repeat(FreeText.MAX_SIGNAL_CHARS - "enterprise".length() - 1) + " enterprises";

        assertThat(FreeText.read(upToTheLimit + "enterprise").planInterest()).isEqualTo(PlanInterest.ENTERPRISE);
        assertThat(FreeText.read(upToTheLimit + "enterprise plan").planInterest()).isEqualTo(PlanInterest.ENTERPRISE);
        assertThat(FreeText.read(wordAcrossTheLimit).planInterest()).isNull();
        assertThat(FreeText.read(upToTheLimit + " We need SSO").needs()).isEmpty();
    }

    @ParameterizedTest(name = "\"{0}\": YC {1}, group demo {2}")
    @CsvSource(delimiter = '|', textBlock = """
            We're a YC W24 company                    | true  | false
            Backed by Y Combinator                     | true  | false
            Can we join a group demo?                  | false | true
            Nothing special here, cycle through        | false | false
            """)
    void readsYCombinatorAndGroupDemos(String text, boolean yc, boolean groupDemo) {
        assertThat(FreeText.read(text).yCombinator()).isEqualTo(yc);
        assertThat(FreeText.read(text).groupDemo()).isEqualTo(groupDemo);
    }

    @ParameterizedTest(name = "\"{0}\" technical: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            Senior Software Engineer  | true
            CTO                       | true
            Head of Data              | true
            VP Marketing              | false
            CEO                       | false
            Founder                   |
            """)
    void readsWhetherATitleIsTechnical(String title, Boolean technical) {
        assertThat(FreeText.technicalTitle(title)).isEqualTo(technical);
    }
}
