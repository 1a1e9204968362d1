package io.leadflow.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Finds sentences of a wording file (the handbook's words, kept as data) repeated in main sources, so a copy in code
 * that would drift fails a test.
 */
public final class WordingCopies {

    /** Shorter pieces between placeholders ("'s evaluation ends in ") are too common to mean a copy. */
    public static final int MIN_FRAGMENT = 30;

    private WordingCopies() {
    }

    /** The pieces of {@code texts}, cut at their {@code {placeholders}} and line breaks, long enough to mean a copy. */
    public static List<String> fragments(List<String> texts) {
        return texts.stream().flatMap(text -> Stream.of(text.split("\\{[A-Za-z]+}|\n"))).map(String::strip)
                .filter(fragment -> fragment.length() >= MIN_FRAGMENT).distinct().toList();
    }

    /** Which {@code .java} file under {@code roots} holds which of {@code fragments}; empty when none does. */
    public static Map<String, List<String>> copies(List<String> fragments, List<Path> roots) {
        Map<String, List<String>> copies = new TreeMap<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                throw new IllegalArgumentException("no main sources at " + root.toAbsolutePath().normalize());
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String code = Files.readString(file, StandardCharsets.UTF_8);
                    fragments.stream().filter(code::contains).forEach(fragment ->
                            copies.computeIfAbsent(file.normalize().toString(), f -> new ArrayList<>()).add(fragment));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return copies;
    }
}
