package io.leadflow.schemas.registry;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Builds the client a {@code schema.registry.url} names: {@code mock://scope} in memory, else REST. Always caching. */
public final class SchemaRegistryClients {

    private SchemaRegistryClients() {
    }

    public static SchemaRegistryClient forUrl(String urls, Optional<String> basicAuthUserInfo, Duration timeout, int maxAttempts) {
        List<String> list = Arrays.stream(urls.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (list.size() == 1 && list.get(0).startsWith(MockSchemaRegistry.SCHEME)) {
            return new CachingSchemaRegistryClient(MockSchemaRegistry.scope(list.get(0)));
        }
        return new CachingSchemaRegistryClient(new RestSchemaRegistryClient(list, basicAuthUserInfo, timeout, maxAttempts));
    }
}
