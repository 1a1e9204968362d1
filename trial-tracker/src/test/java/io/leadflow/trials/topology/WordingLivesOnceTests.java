package io.leadflow.trials.topology;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reminders' words live in the wording file only: no main source of trial-tracker, or of the services that render
 * what the reminders carry (rep-notifier, crm-sync), holds a sentence of it. A copy that would drift fails here.
 */
class WordingLivesOnceTests {

    /** Shorter pieces between placeholders ("'s evaluation ends in ") are too common to mean a copy. */
    private static final int MIN_FRAGMENT = 30;

    private static final List<Path> SOURCES = List.of(Path.of("src", "main", "java"),
            Path.of("..", "rep-notifier", "src", "main", "java"), Path.of("..", "crm-sync", "src", "main", "java"));

    @Test
    void noMainSourceRepeatsASentenceOfTheWordingFile() throws IOException {
        List<String> fragments = fragments();
        assertThat(fragments).as("sentences of the wording file").hasSizeGreaterThan(10);

        Map<String, List<String>> copies = new TreeMap<>();
        for (Path root : SOURCES) {
            assertThat(root).as("main sources of " + root).isDirectory();
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String code = Files.readString(file, StandardCharsets.UTF_8);
                    fragments.stream().filter(code::contains).forEach(fragment ->
                            copies.computeIfAbsent(file.normalize().toString(), f -> new ArrayList<>()).add(fragment));
                }
            }
        }

        assertThat(copies).as("copies of the reminders' wording in code").isEmpty();
    }

    /** Every text of the handbook's wording file, cut at its placeholders, the pieces long enough to mean a copy. */
    private static List<String> fragments() throws IOException {
        JsonNode file;
        try (InputStream in = ReminderWording.class.getClassLoader().getResourceAsStream(ReminderWording.DEFAULT_RESOURCE)) {
            file = YAMLMapper.builder().build().readTree(in);
        }
        List<String> texts = new ArrayList<>();
        collect(file.path("reminders"), texts);
        return texts.stream().flatMap(text -> Stream.of(text.split("\\{[A-Za-z]+}"))).map(String::strip)
                .filter(fragment -> fragment.length() >= MIN_FRAGMENT).distinct().toList();
    }

    private static void collect(JsonNode node, List<String> texts) {
        if (node.isString()) {
            texts.add(node.asString());
        }
        node.forEach(child -> collect(child, texts));
    }
}
