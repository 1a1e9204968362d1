package io.leadflow.platform.logging;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class MaskingTests {

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
            "jane.doe@acme.com, j***@acme.com",
            "j@acme.com, j***@acme.com",
            "not-an-address, ***",
            "@acme.com, ***",
            "jane@, ***",
            "NULL, ***"})
    void masksEverythingButTheFirstLetterAndTheDomain(String email, String masked) {
        assertThat(Masking.email(email)).isEqualTo(masked);
    }

    @ParameterizedTest
    @CsvSource({"xoxb-test-token-abcdef, xoxb***", "short, ***"})
    void keepsAtMostFourCharactersOfASecret(String secret, String masked) {
        assertThat(Masking.secret(secret)).isEqualTo(masked);
    }

    @org.junit.jupiter.api.Test
    void escapesLineBreaksSoAValueCannotForgeALogLine() {
        String forged = "closedwon\r\n2026-11-30 INFO Admin logged in";

        assertThat(Masking.printable(forged)).isEqualTo("closedwon\\u000d\\u000a2026-11-30 INFO Admin logged in")
                .doesNotContain("\n", "\r");
    }

    @org.junit.jupiter.api.Test
    void cutsALongValueAt200Characters() {
        assertThat(Masking.printable("x".repeat(10_000))).hasSize(201).endsWith("…");
    }
}
