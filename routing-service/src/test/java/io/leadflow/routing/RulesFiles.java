package io.leadflow.routing;

import io.leadflow.routing.rules.RulesLoader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The handbook's rules file as text, for tests that change a line of it, and where a text stands in a file. */
public final class RulesFiles {

    private RulesFiles() {
    }

    /** The rules the service loads when none is configured ({@link RulesLoader#DEFAULT_RESOURCE}). */
    public static String defaults() {
        try (InputStream in = RulesFiles.class.getClassLoader().getResourceAsStream(RulesLoader.DEFAULT_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The line, counted from 1, of the first line of {@code yaml} that contains {@code text}. */
    public static int lineOf(String yaml, String text) {
        String[] lines = yaml.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in the file");
    }
}
