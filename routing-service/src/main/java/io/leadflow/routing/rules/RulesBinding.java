package io.leadflow.routing.rules;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.leadflow.routing.rules.InvalidFileException.Problem;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.deser.DeserializationProblemHandler;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.ValueInstantiator;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Binds a rules file to {@link RulesFile} with Jackson, collecting every problem instead of stopping at the first.
 * Lines: a binding problem takes the location of the token Jackson was reading; RulesLoader's own checks look theirs
 * up by path in an index that one streaming pass over the same tokens builds.
 */
final class RulesBinding {

    /**
     * What binding produced: the file (null when nothing could be bound), the problems, and the line of every key,
     * list item and value by its path (e.g. {@code reps[0].weight}), from one streaming pass over the tokens that
     * also reports every empty value (Jackson's {@code required} only asks for the key).
     */
    record Bound(RulesFile file, List<Problem> problems, Map<String, Integer> lines) {
    }

    private static final ObjectMapper MAPPER = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // a set's value that could not be read is reported where it stands and left out, not reported again as a null
            .withConfigOverride(Set.class, set -> set.setNullHandling(JsonSetter.Value.forContentNulls(Nulls.SKIP)))
            .addModule(new SimpleModule("rules-file").setDeserializerModifier(new ValueDeserializerModifier() {
                @Override
                public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription.Supplier bean,
                                                               ValueDeserializer<?> deserializer) {
                    return new Recovering(deserializer);
                }
            }))
            .addHandler(new Problems())
            .build();

    private RulesBinding() {
    }

    /** Binds {@code content}; a {@link tools.jackson.core.exc.StreamReadException} means it is not YAML at all. */
    static Bound bind(String content) {
        Map<String, Integer> lines = new HashMap<>();
        Collector collector = new Collector(new ArrayList<>(), lines, new ArrayDeque<>());
        try (JsonParser p = MAPPER.createParser(content)) {
            int documents = 0;
            for (JsonToken token = p.nextToken(); token != null; token = p.nextToken()) {
                String path = path(p.streamReadContext());
                int line = p.currentTokenLocation().getLineNr();
                int depth = p.streamReadContext().getNestingDepth();
                lines.putIfAbsent(path, line);
                if (token == JsonToken.VALUE_NULL && depth > 0) {
                    collector.problems().add(new Problem(line, path, "must have a value"));
                }
                if ((token.isStructStart() ? depth == 1 : token.isScalarValue() && depth == 0) && ++documents == 2) {
                    collector.problems().add(new Problem(line, null, "a second YAML document starts here; the rules are one document"));
                }
            }
        }
        RulesFile file = null;
        if (!lines.isEmpty()) {
            try {
                file = MAPPER.readerFor(RulesFile.class).withAttribute(Collector.class, collector).readValue(content);
            } catch (DatabindException e) {
                collector.problems().add(new Problem(e.getLocation() == null ? 0 : e.getLocation().getLineNr(), null, e.getOriginalMessage()));
            }
        }
        return new Bound(file, collector.problems(), lines);
    }

    /** Records a problem at the token the parser is on. */
    private static void problem(DeserializationContext ctxt, String message) {
        JsonParser p = ctxt.getParser();
        Collector.of(ctxt).problems().add(new Problem(p.currentTokenLocation().getLineNr(), path(p.streamReadContext()), message));
    }

    /** A path as problems name it, e.g. {@code owners.rules[4].assign}. */
    static String path(TokenStreamContext context) {
        List<String> segments = new ArrayList<>();
        for (TokenStreamContext c = context; c != null; c = c.getParent()) {
            if (c.inArray() && c.hasCurrentIndex()) {
                segments.add(0, "[" + c.getCurrentIndex() + "]");
            } else if (c.inObject() && c.hasCurrentName()) {
                segments.add(0, "." + c.currentName());
            }
        }
        String path = String.join("", segments);
        return path.startsWith(".") ? path.substring(1) : path;
    }

    /** An enum constant read leniently (any case, '-' or ' ' for '_'), or null. */
    static <E> E constant(Class<E> type, String text) {
        String name = text.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        return Arrays.stream(type.getEnumConstants()).filter(c -> ((Enum<?>) c).name().equals(name)).findFirst().orElse(null);
    }

    private static final Map<Class<?>, String> EXPECTED = Map.of(Integer.class, "a whole number", Long.class, "a whole number",
            Boolean.class, "true or false", LocalDate.class, "a date such as 2026-08-03");

    private static String cannotRead(Class<?> type, Object value) {
        if (type.isEnum()) {
            return "unknown " + type.getSimpleName() + " '" + value + "', expected one of " + Arrays.toString(type.getEnumConstants());
        }
        if (ZoneId.class.isAssignableFrom(type)) {
            return "unknown time zone '" + value + "', e.g. UTC or Europe/London";
        }
        return "must be " + EXPECTED.getOrDefault(type, "a " + type.getSimpleName()) + ", was '" + value + "'";
    }

    /**
     * One binding's state, reached from Jackson's callbacks through the reader's attributes.
     *
     * @param records the path of each record being bound, innermost first
     */
    private record Collector(List<Problem> problems, Map<String, Integer> lines, Deque<String> records) {

        static Collector of(DeserializationContext ctxt) {
            return (Collector) ctxt.getAttribute(Collector.class);
        }
    }

    /** Jackson's recoverable problems, worded for the file: the value becomes null and binding goes on. */
    private static final class Problems extends DeserializationProblemHandler {

        @Override
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, ValueDeserializer<?> deserializer,
                                             Object beanOrClass, String name) {
            Collector collector = Collector.of(ctxt);
            // a record's unknown keys are buffered and replayed once it is read, from a parser without locations
            String mapping = p != ctxt.getParser() ? collector.records().peek()
                    : path((p.currentToken().isStructStart() ? p.streamReadContext().getParent() : p.streamReadContext()).getParent());
            TreeSet<String> known = new TreeSet<>();
            deserializer.getKnownPropertyNames().forEach(key -> known.add(String.valueOf(key)));
            int line = collector.lines().getOrDefault(mapping.isEmpty() ? name : mapping + "." + name, 0);
            collector.problems().add(new Problem(line, mapping, "unknown " + (beanOrClass == Criterion.class ? "condition" : "key")
                    + " '" + name + "', expected one of " + known));
            p.skipChildren();
            return true;
        }

        @Override
        public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> type, String value, String failure) {
            Object constant = type.isEnum() ? constant(type, value) : null;
            if (constant == null) {
                problem(ctxt, cannotRead(type, value));
            }
            return constant;
        }

        @Override
        public Object handleWeirdNumberValue(DeserializationContext ctxt, Class<?> type, Number value, String failure) {
            problem(ctxt, cannotRead(type, value));
            return null;
        }

        @Override
        public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType type, JsonToken token, JsonParser p, String failure) {
            String expected = type.isContainerType() && !type.isMapLikeType() ? "a list"
                    : type.isMapLikeType() || type.isRecordType() || type.hasRawClass(RulesFile.When.class) ? "a mapping of keys to values"
                    : "a single value";
            problem(ctxt, "must be " + expected + ", was " + switch (token) {
                case START_ARRAY -> "a list";
                case START_OBJECT -> "a mapping";
                default -> "'" + p.getString() + "'";
            });
            p.skipChildren();
            return null;
        }

        @Override
        public Object handleMissingInstantiator(DeserializationContext ctxt, Class<?> type, ValueInstantiator instantiator,
                                                JsonParser p, String failure) {
            problem(ctxt, "must be a mapping of keys to values, was '" + p.getString() + "'");
            p.skipChildren();
            return null;
        }
    }

    /**
     * Around every record's deserializer: when Jackson rejects a record outright (a required key missing, a number
     * it will not coerce), the problem is recorded, the rest of the record skipped and binding goes on with null.
     */
    private static final class Recovering extends DelegatingDeserializer {

        Recovering(ValueDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegate) {
            return new Recovering(delegate);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) {
            Collector collector = Collector.of(ctxt);
            String record = path(p.streamReadContext());
            int startLine = p.currentTokenLocation().getLineNr();
            boolean structure = p.currentToken() != null && p.currentToken().isStructStart();
            int depth = p.streamReadContext().getNestingDepth();
            collector.records().push(record);
            try {
                return super.deserialize(p, ctxt);
            } catch (DatabindException e) {
                String path = path(p.streamReadContext());
                String message = e.getOriginalMessage();
                int line = e.getLocation() == null ? startLine : e.getLocation().getLineNr();
                if (e instanceof InvalidFormatException invalid && invalid.getTargetType() != null) {
                    message = cannotRead(invalid.getTargetType(), invalid.getValue());
                } else if (message.startsWith("Missing required creator property") && !e.getPath().isEmpty()) {
                    path = record;
                    line = startLine;
                    message = "'" + e.getPath().get(e.getPath().size() - 1).getPropertyName() + "' is required";
                }
                collector.problems().add(new Problem(line, path, message));
                while (structure && p.streamReadContext().getNestingDepth() >= depth && p.nextToken() != null) {
                    // skip what is left of the rejected record
                }
                return null;
            } finally {
                collector.records().pop();
            }
        }
    }
}
