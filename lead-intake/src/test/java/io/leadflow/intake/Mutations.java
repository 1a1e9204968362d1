package io.leadflow.intake;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A valid payload changed in one field at a time, the way a hostile or broken sender would: the field removed, null,
 * of another JSON type, empty, very long (10,000 characters; 1 MiB; exactly as long as makes the body fill its size
 * limit), with right-to-left, emoji, unpaired-surrogate, NUL or CRLF text, a number of 200,000 digits, or a date a
 * billion years away. JSON documents are mutated by path, form bodies by field name.
 */
public final class Mutations {

    private Mutations() {
    }

    public enum Kind {
        REMOVED, NULL, STRING, NUMBER, BOOLEAN, ARRAY, OBJECT, EMPTY, TEN_K, ONE_MIB, FILL_LIMIT, RTL, EMOJI, UNPAIRED_SURROGATE,
        NUL, CRLF, DIGITS_200K, DATE_OUT_OF_RANGE;

        /** The kinds that make the request large (and are measured for CPU). */
        public static final Set<Kind> HEAVY = EnumSet.of(ONE_MIB, FILL_LIMIT, DIGITS_200K);
        /** The kinds that give a JSON value of another type. */
        public static final Set<Kind> TYPES = EnumSet.of(NULL, STRING, NUMBER, BOOLEAN, ARRAY, OBJECT);

        public String label() {
            return name().toLowerCase().replace('_', ' ');
        }
    }

    public static final String OUT_OF_RANGE_DATE = "+1000000000-01-01T00:00:00Z";
    public static final int ONE_MIB = 1 << 20;
    /** Units long texts are made of: plain, and the repetitions that once made patterns and parsers work too hard. */
    private static final String[] UNITS = {"x", "a.", " :", "9", "1,", "<", "e ", "-", "@", "%"};
    private static final String PLACEHOLDER = "@@leadflow-mutation@@";

    /** A mutated body, with the path or field it changed. */
    public record Mutated(String field, Kind kind, byte[] body) {

        public String label() {
            return field + ": " + kind.label();
        }
    }

    /** A long text of {@code length} characters made of one of the units. */
    public static String longText(Seeded random, int length) {
        String unit = random.element(UNITS);
        return unit.repeat(length / unit.length() + 1).substring(0, length);
    }

    // --- JSON ---------------------------------------------------------------------------------

    /** A path into a JSON document, as the service names it: {@code payload.attendees[0].email}, {@code [0].eventId}. */
    public record Path(List<Object> segments) {

        public String name() {
            StringBuilder sb = new StringBuilder();
            for (Object segment : segments) {
                if (segment instanceof Integer index) {
                    sb.append('[').append(index).append(']');
                } else {
                    sb.append(sb.isEmpty() ? "" : ".").append(segment);
                }
            }
            return sb.toString();
        }

        /** This path, or one holding the named path. */
        public boolean isAbove(String name) {
            String mine = name();
            return name.equals(mine) || name.startsWith(mine + ".") || name.startsWith(mine + "[");
        }

        public boolean isUnder(String prefix) {
            String name = name();
            return name.equals(prefix) || name.startsWith(prefix + ".") || name.startsWith(prefix + "[");
        }
    }

    /** Every path of the document but its root, parents before children. */
    public static List<Path> paths(JsonNode root) {
        List<Path> paths = new ArrayList<>();
        collect(root, new ArrayList<>(), paths);
        return paths;
    }

    private static void collect(JsonNode node, List<Object> at, List<Path> paths) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                List<Object> child = new ArrayList<>(at);
                child.add(field.getKey());
                paths.add(new Path(List.copyOf(child)));
                collect(field.getValue(), child, paths);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                List<Object> child = new ArrayList<>(at);
                child.add(i);
                paths.add(new Path(List.copyOf(child)));
                collect(node.get(i), child, paths);
            }
        }
    }

    public static JsonNode at(JsonNode root, Path path) {
        JsonNode node = root;
        for (Object segment : path.segments()) {
            node = segment instanceof Integer index ? node.get(index) : node.get((String) segment);
        }
        return node;
    }

    /** The kinds that change a value of this node's type (a string is not mutated into a string, and so on). */
    public static Set<Kind> applicable(JsonNode original) {
        Set<Kind> kinds = EnumSet.allOf(Kind.class);
        if (original.isNull()) {
            kinds.remove(Kind.NULL);
        }
        if (original.isString()) {
            kinds.remove(Kind.STRING);
        }
        if (original.isNumber()) {
            kinds.remove(Kind.NUMBER);
        }
        if (original.isBoolean()) {
            kinds.remove(Kind.BOOLEAN);
        }
        if (original.isArray()) {
            kinds.remove(Kind.ARRAY);
        }
        if (original.isObject()) {
            kinds.remove(Kind.OBJECT);
        }
        if (original.isContainer()) {
            // long and odd texts replace leaves; a container replaced by text is already "another type"
            kinds.removeAll(EnumSet.of(Kind.TEN_K, Kind.ONE_MIB, Kind.FILL_LIMIT, Kind.RTL, Kind.EMOJI, Kind.UNPAIRED_SURROGATE,
                    Kind.NUL, Kind.CRLF, Kind.DIGITS_200K, Kind.DATE_OUT_OF_RANGE));
        }
        return kinds;
    }

    /** The document with one value changed, as UTF-8 bytes; {@code limit} is the body size {@link Kind#FILL_LIMIT} fills. */
    public static Mutated mutate(ObjectMapper json, JsonNode document, Path path, Kind kind, int limit, Seeded random) {
        JsonNode root = document.deepCopy();
        JsonNode original = at(root, path);
        String text = original.isValueNode() && !original.isNull() ? original.asString() : "";
        String raw = null;
        JsonNode replacement = switch (kind) {
            case REMOVED -> null;
            case NULL -> JsonNodeFactory.instance.nullNode();
            case STRING -> JsonNodeFactory.instance.stringNode("wrong");
            case NUMBER -> JsonNodeFactory.instance.numberNode(42);
            case BOOLEAN -> JsonNodeFactory.instance.booleanNode(true);
            case ARRAY -> JsonNodeFactory.instance.arrayNode().add("wrong");
            case OBJECT -> JsonNodeFactory.instance.objectNode().put("wrong", "type");
            case EMPTY -> original.isArray() ? JsonNodeFactory.instance.arrayNode()
                    : original.isObject() ? JsonNodeFactory.instance.objectNode() : JsonNodeFactory.instance.stringNode("");
            case TEN_K -> JsonNodeFactory.instance.stringNode(longText(random, 10_000));
            case ONE_MIB -> JsonNodeFactory.instance.stringNode(longText(random, ONE_MIB));
            case RTL -> JsonNodeFactory.instance.stringNode("\u202e" + text + " \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627");
            case EMOJI -> JsonNodeFactory.instance.stringNode(text + " \ud83d\udc69\u200d\ud83d\udcbb\ud83d\ude80");
            case NUL -> JsonNodeFactory.instance.stringNode(text + "\u0000");
            case CRLF -> JsonNodeFactory.instance.stringNode(text + "\r\nX-Injected: yes");
            case DATE_OUT_OF_RANGE -> JsonNodeFactory.instance.stringNode(OUT_OF_RANGE_DATE);
            case UNPAIRED_SURROGATE -> {
                String quoted = json.writeValueAsString(text);
                raw = quoted.substring(0, quoted.length() - 1) + "\\ud800\"";
                yield JsonNodeFactory.instance.stringNode(PLACEHOLDER);
            }
            case DIGITS_200K -> {
                raw = "1" + "0123456789".repeat(20_000).substring(1);
                yield JsonNodeFactory.instance.stringNode(PLACEHOLDER);
            }
            case FILL_LIMIT -> JsonNodeFactory.instance.stringNode(PLACEHOLDER);
        };
        replace(root, path, replacement);
        String serialized = json.writeValueAsString(root);
        if (kind == Kind.FILL_LIMIT) {
            int rest = serialized.getBytes(StandardCharsets.UTF_8).length - (PLACEHOLDER.length() + 2);
            raw = "\"" + longText(random, limit - rest - 2) + "\"";
        }
        if (raw != null) {
            serialized = serialized.replace("\"" + PLACEHOLDER + "\"", raw);
        }
        return new Mutated(path.name(), kind, serialized.getBytes(StandardCharsets.UTF_8));
    }

    private static void replace(JsonNode root, Path path, JsonNode replacement) {
        List<Object> segments = path.segments();
        JsonNode parent = at(root, new Path(segments.subList(0, segments.size() - 1)));
        Object last = segments.get(segments.size() - 1);
        if (parent instanceof ObjectNode object) {
            if (replacement == null) {
                object.remove((String) last);
            } else {
                object.set((String) last, replacement);
            }
        } else if (parent instanceof ArrayNode array) {
            if (replacement == null) {
                array.remove((Integer) last);
            } else {
                array.set((Integer) last, replacement);
            }
        }
    }

    /**
     * Which mutations to send: every path removed and null and one other type, every kind on the key paths, and
     * {@code perPath} more kinds drawn for each other path. The full cross product of paths and kinds is not sent.
     */
    public static List<Map.Entry<Path, Kind>> sample(JsonNode document, Set<String> keyPaths, int perPath, Seeded random) {
        List<Map.Entry<Path, Kind>> chosen = new ArrayList<>();
        for (Path path : paths(document)) {
            List<Kind> kinds = new ArrayList<>(applicable(at(document, path)));
            if (keyPaths.contains(path.name())) {
                kinds.forEach(kind -> chosen.add(Map.entry(path, kind)));
                continue;
            }
            Set<Kind> picked = EnumSet.noneOf(Kind.class);
            for (Kind always : List.of(Kind.REMOVED, Kind.NULL)) {
                if (kinds.contains(always)) {
                    picked.add(always);
                }
            }
            List<Kind> types = kinds.stream().filter(k -> Kind.TYPES.contains(k) && k != Kind.NULL).toList();
            if (!types.isEmpty()) {
                picked.add(random.element(types));
            }
            List<Kind> others = kinds.stream().filter(k -> !picked.contains(k) && !Kind.HEAVY.contains(k)).toList();
            for (int i = 0; i < perPath && !others.isEmpty(); i++) {
                picked.add(random.element(others));
            }
            if (random.chance(0.1)) {
                List<Kind> heavy = kinds.stream().filter(Kind.HEAVY::contains).toList();
                if (!heavy.isEmpty()) {
                    picked.add(random.element(heavy));
                }
            }
            picked.forEach(kind -> chosen.add(Map.entry(path, kind)));
        }
        return chosen;
    }

    // --- forms --------------------------------------------------------------------------------

    /** The kinds that apply to a form field: form fields have no JSON type, but JSON-valued ones do. */
    public static Set<Kind> formKinds(boolean jsonValued) {
        Set<Kind> kinds = EnumSet.allOf(Kind.class);
        if (!jsonValued) {
            kinds.removeAll(Kind.TYPES);
        }
        return kinds;
    }

    /**
     * The fields with one changed, as raw bytes per field (so an unpaired surrogate can be sent as the bytes a broken
     * encoder writes for it). {@code encode} turns the fields into a body; {@link Kind#FILL_LIMIT} makes that body
     * exactly {@code limit} bytes long.
     */
    public static Mutated mutateForm(Map<String, String> fields, String field, Kind kind, int limit, Seeded random,
                                     Function<Map<String, byte[]>, byte[]> encode) {
        Map<String, byte[]> values = new LinkedHashMap<>();
        fields.forEach((name, value) -> values.put(name, value.getBytes(StandardCharsets.UTF_8)));
        String text = fields.getOrDefault(field, "");
        byte[] value = switch (kind) {
            case REMOVED -> null;
            case NULL -> utf8("null");
            case STRING -> utf8("\"wrong\"");
            case NUMBER -> utf8("42");
            case BOOLEAN -> utf8("true");
            case ARRAY -> utf8("[\"wrong\"]");
            case OBJECT -> utf8("{\"wrong\": \"type\"}");
            case EMPTY -> new byte[0];
            case TEN_K -> utf8(longText(random, 10_000));
            case ONE_MIB -> utf8(longText(random, ONE_MIB));
            case RTL -> utf8("\u202e" + text + " \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627");
            case EMOJI -> utf8(text + " \ud83d\udc69\u200d\ud83d\udcbb\ud83d\ude80");
            case UNPAIRED_SURROGATE -> concat(utf8(text), new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
            case NUL -> utf8(text + "\u0000");
            case CRLF -> utf8(text + "\r\nX-Injected: yes");
            case DIGITS_200K -> utf8("1" + "0123456789".repeat(20_000).substring(1));
            case DATE_OUT_OF_RANGE -> utf8(OUT_OF_RANGE_DATE);
            case FILL_LIMIT -> new byte[0];
        };
        if (value == null) {
            values.remove(field);
        } else {
            values.put(field, value);
        }
        byte[] body = encode.apply(values);
        if (kind == Kind.FILL_LIMIT) {
            String unit = random.element("x", "a.", "9", "-", "_~");
            values.put(field, utf8(unit.repeat((limit - body.length) / unit.length() + 1).substring(0, limit - body.length)));
            body = encode.apply(values);
        }
        return new Mutated(field, kind, body);
    }

    /** A {@code multipart/form-data} body of raw field values, lines ending in CRLF. */
    public static byte[] multipart(String boundary, Map<String, byte[]> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fields.forEach((name, value) -> {
            out.writeBytes(utf8("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n"
                    + "Content-Type: text/plain; charset=UTF-8\r\n\r\n"));
            out.writeBytes(value);
            out.writeBytes(utf8("\r\n"));
        });
        out.writeBytes(utf8("--" + boundary + "--\r\n"));
        return out.toByteArray();
    }

    /** An {@code application/x-www-form-urlencoded} body of raw field values, every byte but unreserved ones escaped. */
    public static byte[] urlEncoded(Map<String, byte[]> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((name, value) -> {
            if (!sb.isEmpty()) {
                sb.append('&');
            }
            escape(sb, utf8(name));
            sb.append('=');
            escape(sb, value);
        });
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void escape(StringBuilder sb, byte[] bytes) {
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append((char) c);
            } else if (c == ' ') {
                sb.append('+');
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
