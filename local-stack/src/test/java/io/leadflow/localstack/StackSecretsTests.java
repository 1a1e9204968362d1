package io.leadflow.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** The privacy key outlives a run: the erased people are recorded under it. */
class StackSecretsTests {

    @TempDir
    Path data;

    @Test
    void aMadeUpPrivacyKeyIsKeptOwnerOnlyAndUsedAgainByTheNextRun() throws Exception {
        Path file = data.resolve(LocalStack.PRIVACY_KEY_FILE);

        String first = StackSecrets.privacyKey(null, file);
        String next = StackSecrets.privacyKey("", file);

        assertThat(first).hasSizeGreaterThanOrEqualTo(64).matches("[0-9a-f]+");
        assertThat(next).isEqualTo(first);
        if (Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class) != null) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }

    @Test
    void aKeyFromTheEnvironmentWinsAndNothingIsWritten() {
        Path file = data.resolve(LocalStack.PRIVACY_KEY_FILE);

        String key = StackSecrets.privacyKey(" given-key-of-at-least-32-bytes-long ", file);

        assertThat(key).isEqualTo("given-key-of-at-least-32-bytes-long");
        assertThat(file).doesNotExist();
    }
}
