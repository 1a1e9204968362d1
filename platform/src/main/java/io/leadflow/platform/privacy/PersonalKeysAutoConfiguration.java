package io.leadflow.platform.privacy;

import io.leadflow.schemas.serde.FieldCiphers;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * Crypto-shredding, on wherever {@code LEADFLOW_PRIVACY_KEY} is set: a {@link PersonalKeys} following
 * {@code privacy.keys}, registered as the field cipher of every Avro serde the service configures from Spring Boot's
 * Kafka settings (producers, consumers, listener containers, Kafka Streams, followers, dead-letter templates): its name
 * goes into {@code spring.kafka.properties} before anything reads them. Without the key nothing is encrypted, as before.
 */
@AutoConfiguration(before = KafkaAutoConfiguration.class)
@Conditional(PersonalKeysAutoConfiguration.PrivacyKeySet.class)
public class PersonalKeysAutoConfiguration {

    static final String SECRET = "LEADFLOW_PRIVACY_KEY";

    /** Puts the cipher's name into the Kafka settings as soon as they are bound. */
    @Bean
    static FieldCipherName leadflowFieldCipherName() {
        return new FieldCipherName("personal-keys-" + UUID.randomUUID());
    }

    @Bean(destroyMethod = "close")
    PersonalKeys personalKeys(Environment environment, KafkaProperties kafka, FieldCipherName name) {
        PersonalKeys keys = new PersonalKeys(environment.getRequiredProperty(SECRET), kafka, Duration.ofSeconds(10), Clock.systemUTC());
        FieldCiphers.register(name.name(), keys);
        return keys;
    }

    /**
     * The name this context's cipher is registered under: sets it in the Kafka settings, and drops the registration
     * when the context closes, so a closed cipher is never found by name.
     */
    public record FieldCipherName(String name) implements BeanPostProcessor, DisposableBean {
        @Override
        public void destroy() {
            FieldCiphers.unregister(name);
        }

        @Override
        public Object postProcessBeforeInitialization(Object bean, String beanName) {
            if (bean instanceof KafkaProperties kafka) {
                kafka.getProperties().put(FieldCiphers.CONFIG, name);
            }
            return bean;
        }
    }

    static class PrivacyKeySet implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String secret = context.getEnvironment().getProperty(SECRET);
            return secret != null && !secret.isBlank();
        }
    }
}
