package io.leadflow.intake.nextstep;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Owner;
import io.leadflow.intake.privacy.Erasures;
import io.leadflow.intake.privacy.PersonalMemory;
import io.leadflow.intake.system.IntakeProperties;
import io.leadflow.platform.kafka.TopicFollower;
import io.leadflow.schemas.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Which owner routing-service gave each recent lead, as the next-step links need it. Every instance reads <em>all</em>
 * partitions of {@code leads.routed} (assigned, not subscribed in a group, so the answer is the same whichever instance
 * a visitor's browser reaches) from {@code ttl} ago onwards, into a bounded Caffeine cache whose entries expire
 * {@code ttl} after their decision: no new topic and no shared state, and a restarted instance knows the last
 * {@code ttl} of decisions again within seconds. Only the owner's public name and booking page are kept, under the
 * lead's HMAC key, never the lead itself. A decision about a person erased after the lead arrived is never kept
 * ({@link Erasures#skip}), and an erasure drops the person's leads at once ({@link #forget}).
 */
@Component
class RoutedOwners extends TopicFollower implements PersonalMemory {

    private static final Logger log = LoggerFactory.getLogger(RoutedOwners.class);

    /** What a visitor may see of their lead's owner. */
    record PublicOwner(String name, String bookingUrl, int decisionVersion, long expiresAtMillis) {
    }

    private final NextStepTokens tokens;
    private final Duration ttl;
    private final Clock clock;
    private final Erasures erasures;
    private final Cache<String, PublicOwner> owners;
    /** Where each partition was read up to, kept across reconnects (the follower thread's own). */
    private final Map<TopicPartition, Long> positions = new HashMap<>();

    RoutedOwners(KafkaProperties kafka, IntakeProperties properties, NextStepTokens tokens, Clock clock, Erasures erasures) {
        super("lead-intake-next-steps", kafka, Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"));
        this.tokens = tokens;
        this.erasures = erasures;
        this.ttl = properties.nextStep().ttl();
        this.clock = clock;
        this.owners = Caffeine.newBuilder()
                .maximumSize(properties.nextStep().cacheSize())
                .expireAfter(new Expiry<String, PublicOwner>() {
                    @Override
                    public long expireAfterCreate(String key, PublicOwner value, long currentTime) {
                        return left(value);
                    }

                    @Override
                    public long expireAfterUpdate(String key, PublicOwner value, long currentTime, long currentDuration) {
                        return left(value);
                    }

                    @Override
                    public long expireAfterRead(String key, PublicOwner value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    private long left(PublicOwner value) {
        return TimeUnit.MILLISECONDS.toNanos(Math.max(0, value.expiresAtMillis() - clock.millis()));
    }

    /** The owner of the lead with this key, once routing-service has decided; null before. */
    PublicOwner owner(String leadKey) {
        return owners.getIfPresent(leadKey);
    }

    void apply(LeadRouted decision, long timestampMillis) {
        long expires = timestampMillis + ttl.toMillis();
        Owner owner = decision.getOwner();
        if (owner == null || expires <= clock.millis()) {
            return;
        }
        if (decision.getLead() != null && decision.getLead().getContact() != null && erasures.skip(
                decision.getLead().getContact().getEmail(), decision.getLead().getReceivedAt(), decision.getLeadId(), Topics.LEADS_ROUTED.name())) {
            return;
        }
        PublicOwner seen = new PublicOwner(owner.getName(), owner.getBookingUrl(), decision.getDecisionVersion(), expires);
        // a reassignment or re-route is a higher decision version; a replayed older one never hides it
        owners.asMap().merge(tokens.leadKey(decision.getLeadId()), seen,
                (old, fresh) -> fresh.decisionVersion() >= old.decisionVersion() ? fresh : old);
    }

    @Override
    public String what() {
        return "next-step owners";
    }

    @Override
    public int forget(Set<String> leadIds) {
        int removed = 0;
        for (String leadId : leadIds) {
            if (owners.asMap().remove(tokens.leadKey(leadId)) != null) {
                removed++;
            }
        }
        return removed;
    }

    @Override
    protected void follow(Consumer<String, Object> opened) {
        // the erased people first, so no decision about one of them is kept in between
        while (!erasures.awaitLoaded(Duration.ofSeconds(1))) {
            if (!following()) {
                return;
            }
        }
        List<TopicPartition> partitions = assignAll(opened, List.of(Topics.LEADS_ROUTED.name()));
        Map<TopicPartition, Long> since = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Long resume = positions.get(tp);
            if (resume != null) {
                opened.seek(tp, resume);
            } else {
                since.put(tp, clock.millis() - ttl.toMillis());
            }
        }
        if (!since.isEmpty()) {
            Map<TopicPartition, OffsetAndTimestamp> found = opened.offsetsForTimes(since, METADATA_TIMEOUT);
            List<TopicPartition> none = since.keySet().stream().filter(tp -> found.get(tp) == null).toList();
            found.forEach((tp, offset) -> {
                if (offset != null) {
                    opened.seek(tp, offset.offset());
                }
            });
            opened.seekToEnd(none);
        }
        while (following()) {
            try {
                for (ConsumerRecord<String, Object> record : opened.poll(Duration.ofMillis(200))) {
                    if (record.value() instanceof LeadRouted decision) {
                        apply(decision, record.timestamp());
                    }
                }
            } catch (RecordDeserializationException e) {
                // routing-service's other readers dead-letter such a record; these links only skip it
                log.warn("Skipping an unreadable {} record at {}@{}", Topics.LEADS_ROUTED.name(), e.topicPartition(), e.offset());
                opened.seek(e.topicPartition(), e.offset() + 1);
            }
            for (TopicPartition tp : partitions) {
                positions.put(tp, opened.position(tp));
            }
        }
    }
}
