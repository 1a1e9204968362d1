package io.leadflow.schemas.release;

import io.leadflow.schemas.Topic;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.registry.CompatibilityLevel;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.specific.SpecificData;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Releases the topics' value schemas: {@code schemas/release} (see the README). Every released version of a
 * record is kept as {@code released/<Record>/v<N>.avsc}. A current schema that differs from its last
 * released version is released as the next version only if it can read data written with every released
 * version (BACKWARD against each); if any schema cannot, nothing at all is written and the command exits 1,
 * naming the schema, the version and the incompatibility. Unchanged schemas are left alone.
 */
final class SchemaRelease {

    static final int RELEASED = 0;
    static final int REFUSED = 1;
    static final int FAILED = 2;

    private static final Pattern VERSION_FILE = Pattern.compile("v([1-9][0-9]{0,8})\\.avsc");

    /** A file to write: the next released version of one record. */
    record Release(String record, int version, Path file, String text) {
    }

    /**
     * What a release would do: the files it writes, the records it leaves unchanged, and why it must not
     * happen (empty when it may).
     */
    record Plan(List<Release> releases, List<String> unchanged, List<String> refusals) {
    }

    private SchemaRelease() {
    }

    /** {@code SchemaRelease [released-dir]}: releases the value schema of every topic in {@link Topics}. */
    public static void main(String[] args) {
        Path released = Path.of(args.length > 0 ? args[0] : "schemas/released");
        System.exit(run(released, topicSchemas(), System.out, System.err));
    }

    /** The value schema of every topic, as the serializers register it. */
    static List<Schema> topicSchemas() {
        List<Schema> schemas = new ArrayList<>();
        for (Topic<?> topic : Topics.all()) {
            schemas.add(SpecificData.get().getSchema(topic.valueType()));
        }
        return schemas;
    }

    /** Plans the release and carries it out unless it is refused; answers the exit code. */
    static int run(Path releasedDir, Collection<Schema> current, PrintStream out, PrintStream err) {
        Plan plan;
        try {
            plan = plan(releasedDir, current);
        } catch (IOException | UncheckedIOException e) {
            err.println("Cannot read the released schemas under " + releasedDir + ": " + e.getMessage());
            return FAILED;
        }
        if (!plan.refusals().isEmpty()) {
            err.println("Release refused; nothing was written. A new version must read data written with every released version (BACKWARD):");
            plan.refusals().forEach(refusal -> err.println("  " + refusal));
            return REFUSED;
        }
        try {
            for (Release release : plan.releases()) {
                Files.createDirectories(release.file().getParent());
                Files.writeString(release.file(), release.text(), StandardCharsets.UTF_8);
                out.println("Released " + release.record() + " v" + release.version() + " (" + release.file() + ")");
            }
        } catch (IOException e) {
            err.println("Writing a released schema failed: " + e.getMessage());
            return FAILED;
        }
        plan.unchanged().forEach(record -> out.println(record + " is unchanged since its last release"));
        return RELEASED;
    }

    /** Reads the released versions and decides, for each current schema, whether and as what it is released. */
    static Plan plan(Path releasedDir, Collection<Schema> current) throws IOException {
        List<Release> releases = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        for (Schema schema : current) {
            String record = schema.getName();
            TreeMap<Integer, Path> files = releasedFiles(releasedDir.resolve(record));
            Map<Integer, Schema> released = new TreeMap<>();
            for (Map.Entry<Integer, Path> file : files.entrySet()) {
                try {
                    released.put(file.getKey(), new Schema.Parser().parse(Files.readString(file.getValue(), StandardCharsets.UTF_8)));
                } catch (SchemaParseException e) {
                    refusals.add(record + ": released " + file.getValue() + " is not a valid Avro schema: " + e.getMessage());
                }
            }
            if (released.size() < files.size()) {
                continue;
            }
            if (!files.isEmpty() && released.get(files.lastKey()).toString().equals(schema.toString())) {
                unchanged.add(record);
                continue;
            }
            List<String> problems = new ArrayList<>();
            released.forEach((version, earlier) -> CompatibilityLevel.BACKWARD.against(schema, version, earlier).forEach(problem ->
                    problems.add(record + " cannot read data written with released v" + version + ": " + problem.type()
                            + " at " + problem.location() + ": " + problem.describe() + " (" + problem.detail() + ")")));
            if (!problems.isEmpty()) {
                refusals.addAll(problems);
                continue;
            }
            int next = files.isEmpty() ? 1 : files.lastKey() + 1;
            releases.add(new Release(record, next, releasedDir.resolve(record).resolve("v" + next + ".avsc"), schema.toString(true) + "\n"));
        }
        return new Plan(releases, unchanged, refusals);
    }

    /** The {@code v<N>.avsc} files of one record by version; none when it was never released. */
    private static TreeMap<Integer, Path> releasedFiles(Path recordDir) throws IOException {
        TreeMap<Integer, Path> files = new TreeMap<>();
        if (!Files.isDirectory(recordDir)) {
            return files;
        }
        try (Stream<Path> listing = Files.list(recordDir)) {
            listing.forEach(file -> {
                Matcher name = VERSION_FILE.matcher(file.getFileName().toString());
                if (name.matches()) {
                    files.put(Integer.parseInt(name.group(1)), file);
                }
            });
        }
        return files;
    }
}
