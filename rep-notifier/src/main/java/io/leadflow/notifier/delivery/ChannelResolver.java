package io.leadflow.notifier.delivery;

import io.leadflow.avro.AlertKind;
import io.leadflow.avro.RepAlert;
import org.springframework.core.env.Environment;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where an alert goes: the channel the alert itself names; else the channel configured for its kind
 * ({@code LEADFLOW_SLACK_CHANNEL_<KIND>}, which wins over {@code leadflow.notifier.channels.<kind>}); else a direct
 * message to the rep's Slack user id.
 */
class ChannelResolver {

    static final String ENV_PREFIX = "LEADFLOW_SLACK_CHANNEL_";

    private final Map<AlertKind, String> byKind;

    public ChannelResolver(Map<AlertKind, String> configured, Environment environment) {
        Map<AlertKind, String> channels = new EnumMap<>(AlertKind.class);
        channels.putAll(configured);
        for (AlertKind kind : AlertKind.values()) {
            String override = environment.getProperty(ENV_PREFIX + kind.name());
            if (override != null && !override.isBlank()) {
                channels.put(kind, override.trim());
            }
        }
        this.byKind = Map.copyOf(channels);
    }

    public Optional<String> channelFor(RepAlert alert) {
        if (alert.getChannel() != null && !alert.getChannel().isBlank()) {
            return Optional.of(alert.getChannel().trim());
        }
        String configured = byKind.get(alert.getKind());
        if (configured != null) {
            return Optional.of(configured);
        }
        if (alert.getSlackUserId() != null && !alert.getSlackUserId().isBlank()) {
            return Optional.of(alert.getSlackUserId().trim());
        }
        return Optional.empty();
    }

    Map<AlertKind, String> configured() {
        return byKind;
    }

    /** User ids ({@code U...}, {@code W...}) post to the DM; history must be read from the DM's own id. */
    static boolean isUserId(String channel) {
        return channel.startsWith("U") || channel.startsWith("W");
    }
}
