package io.leadflow.routing.rules;

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
 * The lead tasks' words live in the rules file only: no main source of routing-service, or of crm-sync, which writes the
 * tasks the decisions carry, holds a sentence of them. A copy that would drift fails here.
 */
class TaskWordingLivesOnceTests {

    private static final List<Path> SOURCES = List.of(Path.of("src", "main", "java"), Path.of("..", "crm-sync", "src", "main", "java"));

    @Test
    void noMainSourceRepeatsASentenceOfTheRulesFilesTasks() throws IOException {
        List<String> fragments = WordingCopies.fragments(texts());
        assertThat(fragments).as("sentences of the rules file's tasks").hasSizeGreaterThan(10);

        assertThat(WordingCopies.copies(fragments, SOURCES)).as("copies of the lead tasks' wording in code").isEmpty();
    }

    /** Every subject and body of the default rules file's tasks. */
    private static List<String> texts() throws IOException {
        JsonNode file;
        try (InputStream in = RulesLoader.class.getClassLoader().getResourceAsStream(RulesLoader.DEFAULT_RESOURCE)) {
            file = YAMLMapper.builder().build().readTree(in);
        }
        List<String> texts = new ArrayList<>();
        file.path("tasks").forEach(section -> section.forEach(task -> {
            texts.add(task.path("subject").asString());
            texts.add(task.path("body").asString());
        }));
        return texts;
    }
}
