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
}
