package io.leadflow.intake;

import org.junit.jupiter.api.DynamicTest;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Seeded random input for property tests that plain JUnit runs: {@link #check} turns a property into one dynamic test
 * per try. Each try draws from its own generator, derived from the run's seed, the property (class and method) and the
 * try's number, so a failing try fails the same way again under the same seed, whatever else runs and in whatever
 * order. The seed is fixed ({@value #DEFAULT_SEED}) so every build checks the same cases; {@code -Dleadflow.test.seed=N}
 * explores others. A failure says the property, the try, the seed and how to reproduce it, with the sample it failed
 * on (abbreviated). There is no shrinking.
 *
 * <p>Draws lean towards the edges: lengths and numbers are often the least or the greatest allowed, short more often
 * than long, and characters are often the ones that break text handling (NUL, CR, LF, unpaired surrogates, BOM,
 * right-to-left override, U+FFFF).
 */
public final class Seeded {

    public static final long DEFAULT_SEED = 20261130L;
    public static final String SEED_PROPERTY = "leadflow.test.seed";

    /** Characters that break naive text handling, drawn more often than their share of the 65,536. */
    private static final char[] AWKWARD = {'\u0000', '\u0001', '\t', '\n', '\r', ' ', '\u00a0', '\u2028', '\u202e', '\ufeff',
            '\ud800', '\udbff', '\udc00', '\udfff', '\uffff'};

    private final Random random;

    private Seeded(long seed) {
        this.random = new Random(seed);
    }

    /** The seed of this run: {@code -Dleadflow.test.seed}, else {@value #DEFAULT_SEED}. */
    public static long seed() {
        String value = System.getProperty(SEED_PROPERTY);
        return value == null || value.isBlank() ? DEFAULT_SEED : Long.parseLong(value.trim());
    }

    /** A generator for one named use (a corpus, a batch of mutations): the same name and seed give the same draws. */
    public static Seeded forName(String name, long index) {
        return new Seeded(mix(seed(), name, index));
    }

    /**
     * A property checked on {@code tries} samples, each try a dynamic test of its own. The property is named after the
     * calling method, which also picks its samples, so adding or reordering properties changes no other property's cases.
     *
     * @param sample draws one sample from the generator
     * @param check  asserts the property of one sample
     */
    public static <T> Stream<DynamicTest> check(int tries, Function<Seeded, T> sample, Consumer<T> check) {
        StackWalker.StackFrame caller = StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst()).orElseThrow();
        String property = caller.getClassName().substring(caller.getClassName().lastIndexOf('.') + 1) + "." + caller.getMethodName();
        long seed = seed();
        return IntStream.range(0, tries).mapToObj(i -> DynamicTest.dynamicTest("try " + i, () -> {
            T drawn = sample.apply(new Seeded(mix(seed, property, i)));
            try {
                check.accept(drawn);
            } catch (Throwable failure) {
                throw new AssertionError(property + " failed on try " + i + " of " + tries + " with seed " + seed
                        + " (reproduce with -D" + SEED_PROPERTY + "=" + seed + ")\nsample: " + describe(drawn)
                        + "\nbecause: " + failure, failure);
            }
        }));
    }

    private static long mix(long seed, String name, long index) {
        long h = seed * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < name.length(); i++) {
            h = (h ^ name.charAt(i)) * 0x100000001B3L;
        }
        return h + index * 0xBF58476D1CE4E5B9L;
    }

    // --- draws --------------------------------------------------------------------------------

    /** True with this probability. */
    public boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    /** An int in [min, max], often one of the two. */
    public int between(int min, int max) {
        return (int) longBetween(min, max);
    }

    /** A long in [min, max]: often an end, often a small offset from {@code min} (every magnitude alike), else uniform. */
    public long longBetween(long min, long max) {
        if (min >= max) {
            return min;
        }
        double r = random.nextDouble();
        if (r < 0.05) {
            return min;
        }
        if (r < 0.10) {
            return max;
        }
        if (r < 0.55) {
            long offset = random.nextLong() >>> (1 + random.nextInt(63));
            long value = min + offset;
            if (offset >= 0 && value >= min && value <= max) {
                return value;
            }
        }
        long span = max - min + 1;
        if (span > 0) {
            return min + random.nextLong(span);
        }
        while (true) { // the range holds more than Long.MAX_VALUE values
            long value = random.nextLong();
            if (value >= min && value <= max) {
                return value;
            }
        }
    }

    /** A length in [min, max]: sometimes an end, short more often than long. */
    public int length(int min, int max) {
        double r = random.nextDouble();
        if (r < 0.05 || min >= max) {
            return min;
        }
        if (r < 0.10) {
            return max;
        }
        double u = random.nextDouble();
        return min + (int) Math.min(max - min, Math.floor((max - min + 1) * u * u));
    }

    /** Any UTF-16 code unit, unpaired surrogates and controls included; awkward ones more often. */
    public char anyChar() {
        return chance(0.1) ? AWKWARD[random.nextInt(AWKWARD.length)] : (char) random.nextInt(0x10000);
    }

    /** One of these characters. */
    public char charIn(String chars) {
        return chars.charAt(random.nextInt(chars.length()));
    }

    /** A character in [from, to]. */
    public char charBetween(char from, char to) {
        return (char) (from + random.nextInt(to - from + 1));
    }

    /** A string of {@link #anyChar()}. */
    public String anyString(int minLength, int maxLength) {
        return string(minLength, maxLength, Seeded::anyChar);
    }

    /** A string of the given characters. */
    public String stringOf(String chars, int minLength, int maxLength) {
        return string(minLength, maxLength, s -> s.charIn(chars));
    }

    /** A string whose characters each come from {@code chars}. */
    public String string(int minLength, int maxLength, ToIntFunction<Seeded> chars) {
        int length = length(minLength, maxLength);
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append((char) chars.applyAsInt(this));
        }
        return sb.toString();
    }

    /** Up to {@code maxSize} random bytes. */
    public byte[] bytes(int maxSize) {
        byte[] bytes = new byte[length(0, maxSize)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    /** One of the values. */
    @SafeVarargs
    public final <T> T element(T... values) {
        return values[random.nextInt(values.length)];
    }

    /** One of the values. */
    public <T> T element(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** A sample of one of the generators, each as likely. */
    @SafeVarargs
    public final <T> T oneOf(Function<Seeded, ? extends T>... generators) {
        return generators[random.nextInt(generators.length)].apply(this);
    }

    /** An index drawn in proportion to the weights. */
    public int weighted(int... weights) {
        int total = IntStream.of(weights).sum();
        int r = random.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return i;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** {@code n} of the items (all of them when there are no more), in their order. */
    public <T> List<T> pick(List<T> items, int n) {
        if (n >= items.size()) {
            return List.copyOf(items);
        }
        List<Integer> indexes = new ArrayList<>(IntStream.range(0, items.size()).boxed().toList());
        java.util.Collections.shuffle(indexes, random);
        return indexes.subList(0, n).stream().sorted().map(items::get).toList();
    }

    /** Between min and max elements. */
    public <T> List<T> list(int minSize, int maxSize, Function<Seeded, T> element) {
        int size = length(minSize, maxSize);
        List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.apply(this));
        }
        return list;
    }

    /** Between min and max entries with distinct keys (fewer only when the keys run out). */
    public <K, V> Map<K, V> map(int minSize, int maxSize, Function<Seeded, K> keys, Function<Seeded, V> values) {
        int size = length(minSize, maxSize);
        Map<K, V> map = new LinkedHashMap<>();
        for (int attempts = 0; map.size() < size && attempts < size * 20; attempts++) {
            map.putIfAbsent(keys.apply(this), values.apply(this));
        }
        return map;
    }

    // --- failure messages ---------------------------------------------------------------------

    /** A sample as a failure message shows it: strings escaped and cut, byte arrays as their first bytes, records by component. */
    public static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof CharSequence text) {
            return quote(text.toString());
        }
        if (value instanceof byte[] bytes) {
            return bytes.length + " bytes " + quote(new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.ISO_8859_1));
        }
        if (value instanceof Record record) {
            StringBuilder sb = new StringBuilder(record.getClass().getSimpleName()).append('[');
            RecordComponent[] components = record.getClass().getRecordComponents();
            for (int i = 0; i < components.length; i++) {
                try {
                    components[i].getAccessor().setAccessible(true);
                    sb.append(i == 0 ? "" : ", ").append(components[i].getName()).append('=')
                            .append(describe(components[i].getAccessor().invoke(record)));
                } catch (ReflectiveOperationException e) {
                    sb.append(components[i].getName()).append("=?");
                }
            }
            return sb.append(']').toString();
        }
        if (value instanceof Map<?, ?> map) {
            List<String> entries = new ArrayList<>();
            map.entrySet().stream().limit(20).forEach(e -> entries.add(describe(e.getKey()) + "=" + describe(e.getValue())));
            return "{" + String.join(", ", entries) + (map.size() > 20 ? ", … " + map.size() + " entries" : "") + "}";
        }
        if (value instanceof Collection<?> items) {
            return "[" + String.join(", ", items.stream().limit(20).map(Seeded::describe).toList())
                    + (items.size() > 20 ? ", … " + items.size() + " items" : "") + "]";
        }
        return quote(String.valueOf(value));
    }

    private static String quote(String text) {
        int shown = Math.min(text.length(), 300);
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\' || Character.isSurrogate(c) || (c >= 0x80 && !Character.isLetterOrDigit(c))) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
        return shown < text.length() ? sb + "… (" + text.length() + " chars)" : sb.toString();
    }
}
