package io.leadflow.trials.topology;

import io.leadflow.testing.WordingCopies;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reminders' words live in the wording file only: no main source of trial-tracker, or of the services that render
 * what the reminders carry (rep-notifier, crm-sync), holds a sentence of it. A copy that would drift fails here.
 */
class WordingLivesOnceTests {

    private static final List<Path> SOURCES = List.of(Path.of("src", "main", "java"),
            Path.of("..", "rep-notifier", "src", "main", "java"), Path.of("..", "crm-sync", "src", "main", "java"));

    @Test
    void noMainSourceRepeatsASentenceOfTheWordingFile() throws IOException {
        List<String> fragments = WordingCopies.fragments(texts());
        assertThat(fragments).as("sentences of the wording file").hasSizeGreaterThan(10);

        assertThat(WordingCopies.copies(fragments, SOURCES)).as("copies of the reminders' wording in code").isEmpty();
    }

    /** Every text of the handbook's wording file. */
    private static List<String> texts() throws IOException {
        JsonNode file;
        try (InputStream in = ReminderWording.class.getClassLoader().getResourceAsStream(ReminderWording.DEFAULT_RESOURCE)) {
            file = YAMLMapper.builder().build().readTree(in);
        }
        List<String> texts = new ArrayList<>();
        collect(file.path("reminders"), texts);
        return texts;
    }

    private static void collect(JsonNode node, List<String> texts) {
        if (node.isString()) {
            texts.add(node.asString());
        }
        node.forEach(child -> collect(child, texts));
    }
}
