package io.leadflow.intake;

import io.leadflow.intake.Hostile.Cases;
import io.leadflow.intake.Hostile.Expect;
import io.leadflow.intake.Hostile.Request;
import io.leadflow.intake.Mutations.Kind;
import io.leadflow.intake.Mutations.Mutated;
import io.leadflow.intake.Mutations.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Hostile requests every JSON webhook gets: its payload mutated field by field, and bodies broken in structure. */
public final class HostileJson {

    private HostileJson() {
    }

    /** Builds the request an endpoint's provider would send for this body: path, headers and a valid signature. */
    @FunctionalInterface
    public interface Signer {
        Request sign(String label, byte[] body, Expect expect);
    }

    /** Kinds that take a required field away. */
    static final Set<Kind> TAKING_AWAY = EnumSet.of(Kind.REMOVED, Kind.NULL, Kind.EMPTY);

    /**
     * The payload mutated field by field and signed. A mutated request is accepted or rejected naming exactly the mutated
     * path; one whose body outgrew the limit is 413 naming {@code body}; taking a required field away is a rejection. A
     * number of 200,000 digits breaks a limit of the parser, which may name the field, one holding it, or the body.
     *
     * @param document a fresh valid payload (fresh ids) for every request
     * @param keyPaths paths that get every kind of mutation; other paths get a sample
     * @param required paths that may not be taken away (nor may any path holding them)
     * @param max      at most this many requests: the key paths' mutations first, then a seeded sample of the others
     */
    public static Stream<Request> fieldByField(ObjectMapper json, Supplier<String> document, Set<String> keyPaths, Set<String> required,
                                               int limit, int max, Seeded random, Signer signer) {
        JsonNode shape = json.readTree(document.get());
        List<Map.Entry<Path, Kind>> chosen = Mutations.sample(shape, keyPaths, 3, random);
        List<Map.Entry<Path, Kind>> keys = chosen.stream().filter(e -> keyPaths.contains(e.getKey().name())).toList();
        List<Map.Entry<Path, Kind>> others = chosen.stream().filter(e -> !keyPaths.contains(e.getKey().name())).toList();
        List<Map.Entry<Path, Kind>> sent = new ArrayList<>(random.pick(keys, max));
        sent.addAll(random.pick(others, max - sent.size()));
        return sent.stream().map(entry -> {
            Path path = entry.getKey();
            Kind kind = entry.getValue();
            Mutated mutated = Mutations.mutate(json, json.readTree(document.get()), path, kind, limit, random);
            Set<String> fields = new java.util.LinkedHashSet<>(kind == Kind.DIGITS_200K ? withAncestors(path, "body") : Set.of(path.name()));
            List<String> requiredHere = required.stream().filter(path::isAbove).toList();
            boolean takenAway = TAKING_AWAY.contains(kind) && !requiredHere.isEmpty();
            if (takenAway) {
                fields.addAll(requiredHere); // taking a parent away, the service may name the required field it missed
            }
            Expect expect = mutated.body().length > limit ? Expect.rejected(413, "body")
                    : takenAway ? Expect.rejectedNaming(fields.toArray(String[]::new))
                    : Expect.acceptedOrNaming(fields.toArray(String[]::new));
            return signer.sign(mutated.label(), mutated.body(), expect);
        });
    }

    /** The path's name, the names of every path holding it, and these names. */
    static Set<String> withAncestors(Path path, String... more) {
        Set<String> names = new java.util.LinkedHashSet<>(List.of(more));
        for (int i = 1; i <= path.segments().size(); i++) {
            String name = new Path(path.segments().subList(0, i)).name();
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    /** {@code body} and the name of every path of the document: where a parser may say a broken document broke. */
    static String[] bodyOrAnyPath(ObjectMapper json, String document) {
        List<String> names = new ArrayList<>(List.of("body"));
        Mutations.paths(json.readTree(document)).forEach(path -> names.add(path.name()));
        return names.stream().distinct().toArray(String[]::new);
    }

    /**
     * Bodies broken in their structure, each signed so that it reaches the parser: cut short, nested 100,000 deep,
     * duplicate keys, non-standard JSON, control characters and invalid UTF-8 in strings, other encodings, a body at
     * and over the limit, and many keys or elements.
     *
     * @param document    a fresh valid payload for every request
     * @param stringField a field of the (first) object holding a string, for insertions into its value
     * @param at          how the service names a field of that object: {@code ""}, or {@code "[0]."} for a batch
     */
    public static List<Supplier<Request>> brokenBodies(ObjectMapper json, Supplier<String> document, String stringField, String at, int limit,
                                                       Seeded random, Signer signer) {
        Cases requests = new Cases();
        String valid = document.get().trim();
        String[] wherever = bodyOrAnyPath(json, valid);
        for (int i = 0; i < 6; i++) {
            int cut = i == 0 ? 1 : i == 5 ? valid.length() - 1 : random.between(2, valid.length() - 2);
            requests.add(() -> {
                String body = document.get().trim();
                // cut inside a value, the parser names the field it was reading
                return signer.sign("truncated at " + cut + " of " + body.length(), utf8(body.substring(0, Math.min(cut, body.length() - 1))),
                        Expect.rejectedNaming(wherever));
            });
        }
        requests.add(() -> signer.sign("100,000 nested arrays", utf8("[".repeat(100_000) + "]".repeat(100_000)), Expect.rejectedNaming("body")));
        requests.add(() -> signer.sign("100,000 nested arrays, unclosed", utf8("[".repeat(100_000)), Expect.rejectedNaming("body")));
        requests.add(() -> signer.sign("100,000 nested objects", utf8("{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000)),
                Expect.rejectedNaming("body", "a")));
        requests.add(() -> signer.sign("100,000 nested arrays in an unknown field",
                utf8(insertField(document.get(), "nested", "[".repeat(100_000) + "]".repeat(100_000))), Expect.rejectedNaming("body", at + "nested")));
        requests.add(() -> signer.sign("duplicate key, first value hostile",
                utf8(insertField(document.get(), stringField, "\"\\u0000\\ud800" + "x".repeat(1_000) + "\"")),
                Expect.acceptedOrNaming(at + stringField)));
        requests.add(() -> signer.sign("empty body", new byte[0], Expect.rejectedNaming("body")));
        // a null document has none of the required fields: naming the body or the first one missed are both right
        requests.add(() -> signer.sign("null", utf8("null"), Expect.rejectedNaming("body", at + stringField)));
        requests.add(() -> signer.sign("a bare string", utf8("\"hello\""), Expect.rejectedNaming("body")));
        requests.add(() -> signer.sign("a bare number", utf8("42"), Expect.rejectedNaming("body")));
        requests.add(() -> signer.sign("trailing garbage", utf8(document.get() + " {\"x\": 1} trailing"), Expect.acceptedOrNaming("body")));
        requests.add(() -> signer.sign("a comment", utf8("/* hi */" + document.get()), Expect.rejectedNaming("body")));
        requests.add(() -> signer.sign("single quotes", utf8(document.get().replaceFirst("\"" + stringField + "\"", "'" + stringField + "'")),
                Expect.rejectedNaming("body")));
        requests.add(() -> signer.sign("NaN", utf8(insertField(document.get(), "ratio", "NaN")), Expect.rejectedNaming("body", at + "ratio")));
        requests.add(() -> signer.sign("leading zeros", utf8(insertField(document.get(), "count", "007")), Expect.rejectedNaming("body", at + "count")));
        String trimmed = document.get().trim();
        requests.add(() -> signer.sign("trailing comma", utf8(trimmed.substring(0, trimmed.length() - 1) + "," + trimmed.charAt(trimmed.length() - 1)),
                Expect.rejectedNaming("body")));
        requests.add(() -> signer.sign("raw control character in a string",
                utf8(insertField(document.get(), "note", "\"line\u0001one\r\nline two\"")), Expect.rejectedNaming("body", at + "note")));
        byte[] invalidUtf8 = withBytesInField(document.get(), stringField, new byte[] {(byte) 0xFF, (byte) 0xFE});
        requests.add(() -> signer.sign("invalid UTF-8 in " + stringField, invalidUtf8, Expect.rejectedNaming("body", at + stringField)));
        byte[] cesu = withBytesInField(document.get(), stringField, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
        requests.add(() -> signer.sign("an encoded lone surrogate in " + stringField, cesu, Expect.acceptedOrNaming("body", at + stringField)));
        byte[] overlong = withBytesInField(document.get(), stringField, new byte[] {(byte) 0xC0, (byte) 0xAF});
        // Jackson decodes an overlong form as its code point; every check runs on the decoded text, which must hold up alone
        requests.add(() -> signer.sign("an overlong UTF-8 '/' in " + stringField, overlong, Expect.acceptedOrNaming("body", at + stringField)));
        for (Charset charset : List.of(StandardCharsets.UTF_16, StandardCharsets.UTF_16LE, Charset.forName("UTF-32"))) {
            requests.add(() -> signer.sign("the payload in " + charset.name(), document.get().getBytes(charset), Expect.acceptedOrNaming("body")));
        }
        byte[] bom = document.get().getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[bom.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(bom, 0, withBom, 3, bom.length);
        requests.add(() -> signer.sign("the payload after a UTF-8 byte order mark", withBom, Expect.acceptedOrNaming("body")));
        // a Latin-1 byte is invalid UTF-8 wherever the payload has a non-ASCII character
        requests.add(() -> signer.sign("the payload in ISO-8859-1", document.get().getBytes(StandardCharsets.ISO_8859_1),
                Expect.acceptedOrNaming(wherever)));
        String padded = document.get();
        requests.add(() -> signer.sign("whitespace up to the limit", utf8(" ".repeat(limit - utf8(padded).length) + padded), Expect.acceptedOrNaming("body")));
        requests.add(() -> signer.sign("one byte over the limit", utf8(" ".repeat(limit - utf8(padded).length + 1) + padded), Expect.rejected(413, "body")));
        requests.add(() -> signer.sign("a 1 MiB key", utf8(insertField(document.get(), "k".repeat(Mutations.ONE_MIB - 4_096), "1")),
                Expect.rejectedNaming("body")));
        requests.add(() -> signer.sign("100,000 unknown keys up to the limit", utf8(withManyKeys(document.get(), limit)), Expect.acceptedOrNaming("body")));
        requests.add(() -> signer.sign("an array of 200,000 numbers in an unknown field",
                utf8(insertField(document.get(), "numbers", "[" + "1,".repeat(200_000) + "1]")), Expect.acceptedOrNaming("body", at + "numbers")));
        return requests;
    }

    /** The document (a JSON object) with a field inserted first: {@code {"name": value, ...}}. */
    public static String insertField(String document, String name, String rawValue) {
        int brace = document.indexOf('{');
        return document.substring(0, brace + 1) + "\"" + name + "\": " + rawValue + ", " + document.substring(brace + 1);
    }

    /** The document as UTF-8, with raw bytes inserted at the start of a string field's value. */
    static byte[] withBytesInField(String document, String field, byte[] inserted) {
        String marker = "\"" + field + "\": \"";
        String normalised = document.replaceFirst("\"" + java.util.regex.Pattern.quote(field) + "\"\\s*:\\s*\"", java.util.regex.Matcher.quoteReplacement(marker));
        int at = normalised.indexOf(marker);
        if (at < 0) {
            throw new IllegalArgumentException("no string field " + field);
        }
        byte[] head = utf8(normalised.substring(0, at + marker.length()));
        byte[] tail = utf8(normalised.substring(at + marker.length()));
        byte[] out = new byte[head.length + inserted.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(inserted, 0, out, head.length, inserted.length);
        System.arraycopy(tail, 0, out, head.length + inserted.length, tail.length);
        return out;
    }

    private static String withManyKeys(String document, int limit) {
        StringBuilder keys = new StringBuilder();
        int room = limit - utf8(document).length - 16;
        for (int i = 0; keys.length() < room - 32; i++) {
            keys.append("\"k").append(i).append("\":0,");
        }
        int brace = document.indexOf('{');
        return document.substring(0, brace + 1) + keys + document.substring(brace + 1);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
