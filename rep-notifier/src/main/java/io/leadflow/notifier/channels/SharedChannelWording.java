package io.leadflow.notifier.channels;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the notifier says about a shared channel, read from a wording file ({@value #DEFAULT_RESOURCE} unless another is
 * configured): the welcome with its agenda, the owner's alert when the channel must be set up by hand, and the problem
 * text per Slack error code. A file that does not have them all fails to load, naming what is missing.
 */
final class SharedChannelWording {

    static final String DEFAULT_RESOURCE = "channels/shared-channel.yml";

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    record Welcome(String text, List<String> agenda) {
    }

    record Manual(String title, List<String> actions) {
    }

    record WordingFile(Welcome welcome, Manual manual, Map<String, String> problems) {
    }

    private final WordingFile file;

    private SharedChannelWording(WordingFile file) {
        this.file = file;
    }

    /** The file at {@code path}, or the default wording when it is blank. */
    static SharedChannelWording load(String path) {
        if (path == null || path.isBlank()) {
            try (InputStream in = SharedChannelWording.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(DEFAULT_RESOURCE + " is missing from the classpath");
                }
                return read(in, "classpath:" + DEFAULT_RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try (InputStream in = Files.newInputStream(Path.of(path.trim()))) {
            return read(in, path);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the shared channel wording file " + path, e);
        }
    }

    static SharedChannelWording read(InputStream in, String origin) {
        WordingFile file;
        try {
            file = YAML.readValue(in, WordingFile.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(origin + " is not a valid shared channel wording file: " + e.getOriginalMessage());
        }
        List<String> problems = new ArrayList<>();
        if (file == null || file.welcome() == null || blank(file.welcome().text())) {
            problems.add("welcome.text is missing");
        }
        if (file == null || file.manual() == null || blank(file.manual().title())) {
            problems.add("manual.title is missing");
        }
        if (file == null || file.problems() == null || blank(file.problems().get("default"))) {
            problems.add("problems.default is missing");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(origin + " is not a valid shared channel wording file: " + String.join("; ", problems));
        }
        return new SharedChannelWording(file);
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    String welcomeText(Map<String, String> values) {
        return fill(file.welcome().text(), values);
    }

    List<String> agenda(Map<String, String> values) {
        return lines(file.welcome().agenda(), values);
    }

    String manualTitle(Map<String, String> values) {
        return fill(file.manual().title(), values);
    }

    List<String> manualActions(Map<String, String> values) {
        return lines(file.manual().actions(), values);
    }

    /** What went wrong for Slack's {@code error} code (the file's {@code default} for a code it does not name). */
    String problem(String error, Map<String, String> values) {
        String text = file.problems().get(error);
        return fill(text == null ? file.problems().get("default") : text, values);
    }

    private static List<String> lines(List<String> lines, Map<String, String> values) {
        return lines == null ? List.of() : lines.stream().map(line -> fill(line, values)).toList();
    }

    /** Replaces each {@code {name}} whose name is in {@code values}; one pass over the text, whatever the values hold. */
    static String fill(String text, Map<String, String> values) {
        StringBuilder out = new StringBuilder(text.length() + 32);
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int close = c == '{' ? text.indexOf('}', i + 1) : -1;
            if (close > i) {
                String value = values.get(text.substring(i + 1, close));
                if (value != null) {
                    out.append(value);
                    i = close + 1;
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }
}
