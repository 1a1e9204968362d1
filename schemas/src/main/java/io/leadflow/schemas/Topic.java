package io.leadflow.schemas;

import org.apache.avro.specific.SpecificRecord;

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
 */
public record Topic<V extends SpecificRecord>(String name, Class<V> valueType, String key, int partitions, String writer,
                                                boolean compacted) {

    public Topic(String name, Class<V> valueType, String key, int partitions, String writer) {
        this(name, valueType, key, partitions, writer, false);
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
