package io.leadflow.testing;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Hands a test class a real Kafka broker: declare a {@link KafkaBroker} parameter on a test or
 * lifecycle method, or read {@link KafkaBrokers#shared()} in a {@code @DynamicPropertySource}.
 * Also sets the system property {@code spring.kafka.bootstrap-servers} for Spring Boot tests.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(KafkaBrokerExtension.class)
public @interface WithKafkaBroker {
}
