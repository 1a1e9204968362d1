package io.leadflow.notifier.channels;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ChannelNamesTests {

    @Test
    void makesASlackChannelNameOfTheCompanysName() {
        assertThat(ChannelNames.base("Acme Analytics, Inc.", null, "l1")).isEqualTo("acme-analytics-inc");
        assertThat(ChannelNames.base("  Société Générale  ", null, "l1")).isEqualTo("societe-generale");
        assertThat(ChannelNames.base("data_lab -- 42", null, "l1")).isEqualTo("data_lab-42");
        assertThat(ChannelNames.base("株式会社", "example.co.jp", "l1")).as("nothing left of the name: the domain's first label")
                .isEqualTo("example");
        assertThat(ChannelNames.base(null, null, "0f8fad5b-d9cb-469f-a165-70867728950e")).isEqualTo("lead-0f8fad5b");
    }

    @Test
    void aSuffixAndThePrefixAlwaysFitInEightyCharacters() {
        String base = ChannelNames.base("a".repeat(70) + " b" + "c".repeat(30), null, "l1");

        assertThat(ChannelNames.candidate("ext-", "acme", 1)).isEqualTo("ext-acme");
        assertThat(ChannelNames.candidate("ext-", "acme", 2)).isEqualTo("ext-acme-2");
        assertThat(ChannelNames.candidate("ext-", base, 1)).hasSize(80).doesNotEndWith("-");
        assertThat(ChannelNames.candidate("ext-", base, 12)).hasSizeLessThanOrEqualTo(80).endsWith("-12");
        assertThat(ChannelNames.candidate("ext-", "a".repeat(74) + "-bbbbb", 2)).as("no hyphen left dangling before the suffix")
                .isEqualTo("ext-" + "a".repeat(74) + "-2");
    }

    @Test
    void anyTextGivesANameSlackAccepts() {
        Random random = new Random(20260105L);
        for (int i = 0; i < 2_000; i++) {
            StringBuilder company = new StringBuilder();
            int length = random.nextInt(200);
            for (int j = 0; j < length; j++) {
                company.append((char) random.nextInt(0x3000));
            }
            String name = ChannelNames.candidate("ext-", ChannelNames.base(company.toString(), null, "lead-" + i), 1 + random.nextInt(30));
            assertThat(name).as("seed 20260105, case %d", i).hasSizeLessThanOrEqualTo(80).matches("[a-z0-9_-]+")
                    .doesNotContain("--").startsWith("ext-");
        }
    }

    @Test
    void placeholdersAreFilledOnceAndTheirValuesAreNotReadAgain() {
        assertThat(SharedChannelWording.fill("Welcome, {company}! {owner} is here. {unknown}", Map.of("company", "{owner}", "owner", "Simon")))
                .isEqualTo("Welcome, {owner}! Simon is here. {unknown}");
    }
}
