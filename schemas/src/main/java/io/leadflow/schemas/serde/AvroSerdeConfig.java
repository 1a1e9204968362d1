package io.leadflow.schemas.serde;

import io.leadflow.schemas.registry.SchemaRegistryClient;
import io.leadflow.schemas.registry.SchemaRegistryClients;
import org.apache.kafka.common.config.ConfigException;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The serde's settings, under the same keys as Confluent's {@code KafkaAvroSerializer} and
 * {@code KafkaAvroDeserializer}, so swapping ours for theirs is a configuration change.
 */
public record AvroSerdeConfig(String registryUrl, boolean autoRegisterSchemas, boolean useLatestVersion,
                              boolean specificAvroReader, Optional<String> basicAuthUserInfo,
                              Duration requestTimeout, int maxAttempts) {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    /** Our own: HTTP timeout towards the registry, in milliseconds (default 5000). */
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    /** Our own: attempts per registry call on transport errors and 5xx (default 3). */
    public static final String MAX_ATTEMPTS = "schema.registry.max.attempts";

    private static final String TOPIC_NAME_STRATEGY = "io.confluent.kafka.serializers.subject.TopicNameStrategy";

    public static AvroSerdeConfig from(Map<String, ?> configs) {
        Object url = configs.get(SCHEMA_REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, url, "Missing required configuration \"" + SCHEMA_REGISTRY_URL + "\" which has no default value.");
        }
        for (String key : new String[] {KEY_SUBJECT_NAME_STRATEGY, VALUE_SUBJECT_NAME_STRATEGY}) {
            Object strategy = configs.get(key);
            if (strategy != null && !strategy.toString().equals(TOPIC_NAME_STRATEGY) && !strategy.toString().endsWith(".TopicNameStrategy")) {
                throw new ConfigException(key, strategy, "only TopicNameStrategy (<topic>-key / <topic>-value) is supported");
            }
        }
        String source = string(configs, BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
        Optional<String> userInfo = "USER_INFO".equals(source) ? Optional.ofNullable(configs.get(BASIC_AUTH_USER_INFO)).map(Object::toString) : Optional.empty();
        return new AvroSerdeConfig(url.toString(),
                bool(configs, AUTO_REGISTER_SCHEMAS, true),
                bool(configs, USE_LATEST_VERSION, false),
                bool(configs, SPECIFIC_AVRO_READER, false),
                userInfo,
                Duration.ofMillis(Long.parseLong(string(configs, REQUEST_TIMEOUT_MS, "5000"))),
                Integer.parseInt(string(configs, MAX_ATTEMPTS, "3")));
    }

    public SchemaRegistryClient client() {
        return SchemaRegistryClients.forUrl(registryUrl, basicAuthUserInfo, requestTimeout, maxAttempts);
    }

    private static boolean bool(Map<String, ?> configs, String key, boolean fallback) {
        Object value = configs.get(key);
        return value == null ? fallback : Boolean.parseBoolean(value.toString());
    }

    private static String string(Map<String, ?> configs, String key, String fallback) {
        Object value = configs.get(key);
        return value == null ? fallback : value.toString();
    }
}
