package io.leadflow.schemas;

import org.apache.avro.specific.SpecificRecord;

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
 * @param configs   further topic configs it is created with (e.g. {@code retention.ms}); the broker's defaults otherwise
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

    /** The configs the topic itself is created with: {@code cleanup.policy=compact} when compacted, then {@link #configs}. */
    public Map<String, String> creationConfigs() {
        Map<String, String> all = new java.util.LinkedHashMap<>();
        if (compacted) {
            all.put("cleanup.policy", "compact");
        }
        all.putAll(configs);
        return Map.copyOf(all);
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
