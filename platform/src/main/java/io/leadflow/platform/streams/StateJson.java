package io.leadflow.platform.streams;

import org.apache.kafka.common.serialization.Serde;
import org.springframework.kafka.support.serializer.JacksonJsonSerde;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A topology's own state (stores and their changelogs, internal repartition topics) as JSON, through spring-kafka's
 * {@link JacksonJsonSerde}. These records never leave the service, so they need no registered schema; each store has
 * one type, so no type headers are written or read; unknown properties are ignored so a newer version can add fields
 * and an older one still restores the changelog.
 */
public final class StateJson {

    public static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private StateJson() {
    }

    public static <T> Serde<T> serde(Class<T> type) {
        return new JacksonJsonSerde<T>(type, MAPPER).noTypeInfo().ignoreTypeHeaders();
    }

    public static <T> Serde<T> serde(TypeReference<T> type) {
        return new JacksonJsonSerde<T>(type, MAPPER).noTypeInfo().ignoreTypeHeaders();
    }
}
