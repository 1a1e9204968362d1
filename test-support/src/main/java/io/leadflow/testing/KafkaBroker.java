package io.leadflow.testing;

import io.leadflow.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A real Kafka broker for a test: a Testcontainers {@code apache/kafka} container where a Docker engine
 * answers, spring-kafka-test's embedded KRaft broker otherwise. Auto-create is off on both, and every
 * topic of the catalogue (with its dead-letter twin) exists before the first test runs.
 */
public interface KafkaBroker {

    String bootstrapServers();

    /** Where the broker runs: {@code testcontainers} or {@code embedded-kraft}. */
    String kind();

    /** Creates topics that do not exist yet; existing ones are left as they are. */
    default void createTopics(Collection<NewTopic> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + topic.name(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Broker did not create topics in time", e);
        }
    }

    /** The catalogue's topics and dead-letter twins, as production declares them. */
    static List<NewTopic> catalogue() {
        return Topics.all().stream()
                .flatMap(t -> java.util.stream.Stream.of(
                        new NewTopic(t.name(), t.partitions(), (short) 1)
                                .configs(t.creationConfigs()),
                        new NewTopic(t.deadLetter(), t.partitions(), (short) 1).configs(t.deadLetterConfigs())))
                .toList();
    }

    void close();
}
