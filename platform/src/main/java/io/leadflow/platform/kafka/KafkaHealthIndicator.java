package io.leadflow.platform.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.core.KafkaAdmin;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Boot has no Kafka health indicator: this one asks the broker to describe the cluster within a
 * timeout and, in a Kafka Streams service, is DOWN unless the Streams client is RUNNING (or
 * REBALANCING, which is transient).
 */
class KafkaHealthIndicator extends AbstractHealthIndicator {

    private final KafkaAdmin admin;
    private final Duration timeout;
    private final ObjectProvider<StreamsBuilderFactoryBean> streams;
    private volatile Admin client;

    public KafkaHealthIndicator(KafkaAdmin admin, Duration timeout, ObjectProvider<StreamsBuilderFactoryBean> streams) {
        super("Kafka health check failed");
        this.admin = admin;
        this.timeout = timeout;
        this.streams = streams;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        DescribeClusterResult cluster = client().describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
        String clusterId = cluster.clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        int nodes = cluster.nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
        builder.withDetail("clusterId", clusterId).withDetail("nodes", nodes);
        StreamsBuilderFactoryBean factory = streams.getIfAvailable();
        if (factory != null) {
            KafkaStreams kafkaStreams = factory.getKafkaStreams();
            KafkaStreams.State state = kafkaStreams == null ? null : kafkaStreams.state();
            builder.withDetail("streams", String.valueOf(state));
            if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
                builder.down();
                return;
            }
        }
        builder.up();
    }

    private Admin client() {
        Admin current = client;
        if (current == null) {
            synchronized (this) {
                if (client == null) {
                    client = Admin.create(admin.getConfigurationProperties());
                }
                current = client;
            }
        }
        return current;
    }
}
