package io.leadflow.routing.rules;

import io.leadflow.routing.rules.InvalidRulesException.Problem;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Typed reads over SnakeYAML's node tree that keep line numbers: every wrong type, missing key or
 * unknown key becomes a {@link Problem} at its line, and reading goes on so one run reports them all.
 */
final class YamlTree {

    private final List<Problem> problems = new ArrayList<>();

    List<Problem> problems() {
        return problems;
    }

    static int line(Node node) {
        return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    void problem(Node node, String path, String message) {
        problems.add(new Problem(line(node), path, message));
    }

    void problem(int line, String path, String message) {
        problems.add(new Problem(line, path, message));
    }

    /** A mapping node, or null (with a problem) when the node is something else. */
    Mapping mapping(Node node, String path) {
        if (node instanceof MappingNode mapping) {
            return new Mapping(mapping, path);
        }
        problem(node, path, "must be a mapping of keys to values, was " + describe(node));
        return null;
    }

    /** The items of a sequence node; a problem and an empty list when the node is something else. */
    List<Node> sequence(Node node, String path) {
        if (node instanceof SequenceNode sequence) {
            return sequence.getValue();
        }
        problem(node, path, "must be a list, was " + describe(node));
        return List.of();
    }

    String scalar(Node node, String path) {
        if (node instanceof ScalarNode scalar) {
            String value = scalar.getValue();
            if (scalar.isPlain() && (value.isEmpty() || value.equals("~") || value.equalsIgnoreCase("null"))) {
                problem(node, path, "must have a value");
                return null;
            }
            return value.trim();
        }
        problem(node, path, "must be a single value, was " + describe(node));
        return null;
    }

    Long integer(Node node, String path, long min) {
        String text = scalar(node, path);
        if (text == null) {
            return null;
        }
        try {
            long value = Long.parseLong(text.replace("_", ""));
            if (value < min) {
                problem(node, path, "must be " + min + " or more, was " + value);
                return null;
            }
            return value;
        } catch (NumberFormatException e) {
            problem(node, path, "must be a whole number, was '" + text + "'");
            return null;
        }
    }

    Boolean bool(Node node, String path) {
        String text = scalar(node, path);
        if (text == null) {
            return null;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                problem(node, path, "must be true or false, was '" + text + "'");
                yield null;
            }
        };
    }

    /** An enum constant, case-insensitive, '-' read as '_'. */
    <E extends Enum<E>> E constant(Node node, String path, Class<E> type, Set<E> excluded) {
        String text = scalar(node, path);
        if (text == null) {
            return null;
        }
        String name = text.toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(name) && !excluded.contains(constant)) {
                return constant;
            }
        }
        List<String> allowed = Arrays.stream(type.getEnumConstants()).filter(c -> !excluded.contains(c)).map(Enum::name).toList();
        problem(node, path, "unknown " + type.getSimpleName() + " '" + text + "', expected one of " + allowed);
        return null;
    }

    /** A list of values, or a single value read as a one-item list. */
    <T> List<T> values(Node node, String path, Function<IndexedNode, T> read) {
        List<Node> items = node instanceof SequenceNode sequence ? sequence.getValue() : List.of(node);
        List<T> values = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            T value = read.apply(new IndexedNode(items.get(i), node instanceof SequenceNode ? path + "[" + i + "]" : path));
            if (value != null) {
                values.add(value);
            }
        }
        if (items.isEmpty()) {
            problem(node, path, "must list at least one value");
        }
        return values;
    }

    record IndexedNode(Node node, String path) {
    }

    private static String describe(Node node) {
        if (node == null) {
            return "nothing";
        }
        return switch (node.getNodeId()) {
            case mapping -> "a mapping";
            case sequence -> "a list";
            case scalar -> "'" + ((ScalarNode) node).getValue() + "'";
            default -> node.getNodeId().name();
        };
    }

    /** A mapping's entries by key, with duplicate and unknown keys reported. */
    final class Mapping {

        private final MappingNode node;
        private final String path;
        private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

        private Mapping(MappingNode node, String path) {
            this.node = node;
            this.path = path;
            for (NodeTuple tuple : node.getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                    problem(tuple.getKeyNode(), path, "keys must be plain names");
                    continue;
                }
                if (entries.putIfAbsent(key.getValue(), tuple) != null) {
                    problem(key, path, "duplicate key '" + key.getValue() + "'");
                }
            }
        }

        int line() {
            return YamlTree.line(node);
        }

        MappingNode node() {
            return node;
        }

        String path(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        Set<String> keys() {
            return entries.keySet();
        }

        boolean has(String key) {
            return entries.containsKey(key);
        }

        Node get(String key) {
            NodeTuple tuple = entries.get(key);
            return tuple == null ? null : tuple.getValueNode();
        }

        /** The value node, or null with a "required" problem. */
        Node require(String key) {
            Node value = get(key);
            if (value == null) {
                problem(node, path, "'" + key + "' is required");
            }
            return value;
        }

        int keyLine(String key) {
            NodeTuple tuple = entries.get(key);
            return tuple == null ? line() : YamlTree.line(tuple.getKeyNode());
        }

        String string(String key, boolean required) {
            Node value = required ? require(key) : get(key);
            return value == null ? null : scalar(value, path(key));
        }

        Long integer(String key, long min) {
            Node value = get(key);
            return value == null ? null : YamlTree.this.integer(value, path(key), min);
        }

        boolean bool(String key, boolean fallback) {
            Node value = get(key);
            Boolean read = value == null ? null : YamlTree.this.bool(value, path(key));
            return read == null ? fallback : read;
        }

        void only(String... allowed) {
            Set<String> known = new TreeSet<>(List.of(allowed));
            entries.forEach((key, tuple) -> {
                if (!known.contains(key)) {
                    problem(tuple.getKeyNode(), path, "unknown key '" + key + "', expected one of " + known);
                }
            });
        }
    }
}
