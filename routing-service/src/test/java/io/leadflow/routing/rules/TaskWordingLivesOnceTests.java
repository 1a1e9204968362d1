package io.leadflow.routing.rules;

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
 * The lead tasks' words live in the rules file only: no main source of routing-service, or of crm-sync, which writes the
 * tasks the decisions carry, holds a sentence of them. A copy that would drift fails here.
 */
class TaskWordingLivesOnceTests {

    /** Shorter pieces between placeholders are too common to mean a copy. */
    private static final int MIN_FRAGMENT = 30;

    private static final List<Path> SOURCES = List.of(Path.of("src", "main", "java"), Path.of("..", "crm-sync", "src", "main", "java"));

    @Test
    void noMainSourceRepeatsASentenceOfTheRulesFilesTasks() throws IOException {
        List<String> fragments = fragments();
        assertThat(fragments).as("sentences of the rules file's tasks").hasSizeGreaterThan(10);

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

        assertThat(copies).as("copies of the lead tasks' wording in code").isEmpty();
    }

    /** Every subject and body line of the tasks, cut at placeholders, the pieces long enough to mean a copy. */
    private static List<String> fragments() throws IOException {
        JsonNode file;
        try (InputStream in = RulesLoader.class.getClassLoader().getResourceAsStream(RulesLoader.DEFAULT_RESOURCE)) {
            file = YAMLMapper.builder().build().readTree(in);
        }
        List<String> texts = new ArrayList<>();
        file.path("tasks").forEach(section -> section.forEach(task -> {
            texts.add(task.path("subject").asString());
            texts.add(task.path("body").asString());
        }));
        return texts.stream().flatMap(text -> Stream.of(text.split("\\{[A-Za-z]+}|\n"))).map(String::strip)
                .filter(fragment -> fragment.length() >= MIN_FRAGMENT).distinct().toList();
    }
}
