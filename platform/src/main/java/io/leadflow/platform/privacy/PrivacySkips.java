package io.leadflow.platform.privacy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record whose personal fields are encrypted under a deleted key (its person was erased): every consumer path skips
 * it, logs where it was (topic, partition, offset; never a value) and counts it in
 * {@code leadflow.privacy.skipped{service,topic}}. It is never dead-lettered: there is nothing to repair.
 */
public final class PrivacySkips {

    private static final Logger log = LoggerFactory.getLogger(PrivacySkips.class);

    private PrivacySkips() {
    }

    public static void skipped(String service, String topic, int partition, long offset) {
        skipped(Metrics.globalRegistry, service, topic, partition, offset);
    }

    public static void skipped(MeterRegistry meters, String service, String topic, int partition, long offset) {
        log.info("Skipped the record at {}-{}@{}: its person was erased (their data key is deleted)", topic, partition, offset);
        Counter.builder("leadflow.privacy.skipped").description("Records about an erased person dropped")
                .tag("service", service == null ? "unknown" : service).tag("topic", topic).register(meters).increment();
    }
}
