package io.leadflow.routing.topology;

import org.apache.kafka.common.serialization.Serde;
import org.springframework.kafka.support.serializer.JacksonJsonSerde;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The topology's own state as JSON (stores and their changelogs): it never leaves the service, so it needs no
 * registered schema; unknown properties are ignored so a newer version can add fields and an older one still restores.
 */
final class StateJson {

    static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private StateJson() {
    }

    static <T> Serde<T> serde(Class<T> type) {
        return new JacksonJsonSerde<T>(type, MAPPER).noTypeInfo().ignoreTypeHeaders();
    }
}
