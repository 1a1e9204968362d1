package io.leadflow.platform.privacy;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrivacyKeyTests {

    private final Validator validator = Validation.buildDefaultValidatorFactory().getValidator();

    @Test
    void anEmptyKeyNamesNobodyAndAShortOneIsRefused() {
        assertThat(new PrivacyKey("").configured()).isFalse();
        assertThat(new PrivacyKey("").subjects()).isNull();
        assertThat(validator.validate(new PrivacyKey(""))).isEmpty();
        assertThat(validator.validate(new PrivacyKey("short"))).singleElement()
                .satisfies(v -> assertThat(v.getMessage()).contains("LEADFLOW_PRIVACY_KEY"));
    }

    @Test
    void aKeyGivesTheSubjectsAndIsNeverPrinted() {
        PrivacyKey key = new PrivacyKey("s".repeat(40));
        assertThat(validator.validate(key)).isEmpty();
        assertThat(key.subjects().of("jane@acme.com")).isEqualTo(new Subjects("s".repeat(40)).of("jane@acme.com"));
        assertThat(key).hasToString("PrivacyKey[key=***]");
        assertThat(new PrivacyKey("")).hasToString("PrivacyKey[key=<unset>]");
    }
}
