package io.leadflow.schemas;

import org.apache.avro.specific.SpecificRecord;

import java.time.Duration;
import java.util.Map;

/**
 * One Kafka topic of the catalogue: its name, the Avro type of its values, what its string key
 * holds, how many partitions it has and the single service that writes it.
 *
 * @param name      topic name
 * @param valueType generated Avro class of the values
 * @param key       what the record key holds, e.g. {@code leadId}
 * @param partitions partition count (the dead-letter twin has the same, so a record keeps its partition)
 * @param writer    the one service allowed to produce to it
 * @param compacted whether the topic keeps only the latest value per key ({@code cleanup.policy=compact})
 * @param configs   further topic configs it is created with (e.g. {@code retention.ms}); see {@link #creationConfigs()}
 *
 * <p>Retention is always stated, never left to the broker's default: a plain topic keeps records {@link #EVENT_RETENTION},
 * a compacted one the latest value per key until it is replaced or deleted (unless its configs add a time limit), and a
 * dead-letter twin {@link #DEAD_LETTER_RETENTION}.
 */
public record Topic<V extends SpecificRecord>(String name, Class<V> valueType, String key, int partitions, String writer,
                                                boolean compacted, Map<String, String> configs) {

    public Topic {
        configs = Map.copyOf(configs);
    }

    public Topic(String name, Class<V> valueType, String key, int partitions, String writer) {
        this(name, valueType, key, partitions, writer, false, Map.of());
    }

    public Topic(String name, Class<V> valueType, String key, int partitions, String writer, boolean compacted) {
        this(name, valueType, key, partitions, writer, compacted, Map.of());
    }

    /** How long a plain topic keeps a record: a week, Kafka's own default, written down so no broker setting changes it. */
    public static final Duration EVENT_RETENTION = Duration.ofDays(7);

    /** How long a dead letter waits for a person to look at it and replay it: two weeks, so a holiday does not lose one. */
    public static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(14);

    /**
     * The configs the topic itself is created with: {@code cleanup.policy=compact} when compacted, {@code retention.ms}
     * {@link #EVENT_RETENTION} when not, then {@link #configs}, which win.
     */
    public Map<String, String> creationConfigs() {
        Map<String, String> all = new java.util.LinkedHashMap<>();
        if (compacted) {
            all.put("cleanup.policy", "compact");
        } else {
            all.put("retention.ms", Long.toString(EVENT_RETENTION.toMillis()));
        }
        all.putAll(configs);
        return Map.copyOf(all);
    }

    /** The configs the dead-letter twin is created with: plain, kept {@link #DEAD_LETTER_RETENTION}. */
    public Map<String, String> deadLetterConfigs() {
        return Map.of("cleanup.policy", "delete", "retention.ms", Long.toString(DEAD_LETTER_RETENTION.toMillis()));
    }

    /**
     * How long a record stays, in words, as the README's topic table says it: {@code 7 days},
     * {@code latest per key until replaced or deleted}, or {@code latest per key, each key 4 days}.
     */
    public String retention() {
        Map<String, String> all = creationConfigs();
        String policy = all.getOrDefault("cleanup.policy", "delete");
        String time = all.containsKey("retention.ms") ? days(Long.parseLong(all.get("retention.ms"))) : null;
        if (!policy.contains("compact")) {
            return time;
        }
        return policy.contains("delete") && time != null ? "latest per key, each key " + time : "latest per key until replaced or deleted";
    }

    static String days(long millis) {
        long days = Duration.ofMillis(millis).toDays();
        if (Duration.ofDays(days).toMillis() != millis) {
            throw new IllegalStateException("Retention " + millis + " ms is not a whole number of days");
        }
        return days == 1 ? "1 day" : days + " days";
    }

    /** Suffix of every dead-letter twin; named explicitly because spring-kafka's default changed across versions. */
    public static final String DEAD_LETTER_SUFFIX = ".dlt";

    public String deadLetter() {
        return name + DEAD_LETTER_SUFFIX;
    }

    /** Subject of the value schema under Confluent's TopicNameStrategy. */
    public String valueSubject() {
        return name + "-value";
    }
}
