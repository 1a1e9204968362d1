package io.leadflow.platform.privacy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubjectsTests {

    private static final String KEY = "k".repeat(Subjects.MIN_KEY_BYTES);

    @Test
    void theSameAddressWrittenDifferentlyIsTheSameSubject() {
        Subjects subjects = new Subjects(KEY);
        assertThat(subjects.of("  Jane.Doe@Acme.COM ")).isEqualTo(subjects.of("jane.doe@acme.com"))
                .hasSize(64).matches("[0-9a-f]{64}").doesNotContain("jane");
        assertThat(subjects.of("john@acme.com")).isNotEqualTo(subjects.of("jane.doe@acme.com"));
    }

    @Test
    void anotherKeyGivesAnotherSubjectSoAGuessCannotBeCheckedWithoutTheKey() {
        assertThat(new Subjects("x".repeat(40)).of("jane@acme.com")).isNotEqualTo(new Subjects(KEY).of("jane@acme.com"));
    }

    @Test
    void noAddressHasNoSubjectAndAShortKeyIsRefused() {
        assertThat(new Subjects(KEY).of(" ")).isNull();
        assertThat(new Subjects(KEY).of(null)).isNull();
        assertThatThrownBy(() -> new Subjects("short")).hasMessageContaining("LEADFLOW_PRIVACY_KEY must be at least 32 bytes");
        assertThat(new Subjects(KEY)).hasToString("Subjects[key=***]");
    }
}
