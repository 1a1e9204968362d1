package io.leadflow.platform.privacy;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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

    /** Subjects keeps a keyed MAC per thread: every thread, every call, is HMAC-SHA256 of that address alone. */
    @Test
    void aSubjectIsTheAddressesOwnHmacOnEveryThreadAndCall() throws Exception {
        Subjects subjects = new Subjects(KEY);
        List<String> addresses = IntStream.range(0, 2_000).mapToObj(i -> "person" + i + "@acme.com").toList();

        List<String> parallel = addresses.parallelStream().map(subjects::of).toList();

        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        for (int i = 0; i < addresses.size(); i++) {
            assertThat(parallel.get(i)).isEqualTo(HexFormat.of().formatHex(mac.doFinal(addresses.get(i).getBytes(StandardCharsets.UTF_8))));
        }
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
