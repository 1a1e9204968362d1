package io.leadflow.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Secrets the local stack makes up for a run, and the owner-only file a generated one is kept in. */
final class StackSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private StackSecrets() {
    }

    /** 128 random bits as hex. */
    static String randomHex() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** 256 random bits as hex: a privacy key ({@code LEADFLOW_PRIVACY_KEY}) must be at least 32 bytes. */
    static String randomKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * The key every service names a person by in erasures: {@code given} ({@code LEADFLOW_PRIVACY_KEY}) when set, else
     * the one kept in {@code file}, else one made up now and kept there (owner-only). It must outlive the run: the
     * erased people in {@code privacy.erasures} are named under it, so a new key would no longer recognise them. It goes
     * with the data directory ({@code --reset}).
     */
    static String privacyKey(String given, Path file) {
        if (given != null && !given.isBlank()) {
            return given.trim();
        }
        try {
            if (Files.isRegularFile(file)) {
                String kept = Files.readString(file).trim();
                if (!kept.isEmpty()) {
                    return kept;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the privacy key from " + file, e);
        }
        String made = randomKey();
        writeOwnerOnly(file, made);
        return made;
    }

    /** Writes a secret to a file only its owner may read (where the file system has POSIX permissions). */
    static Path writeOwnerOnly(Path file, String secret) {
        try {
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, secret + System.lineSeparator());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write a secret to " + file, e);
        }
    }
}
