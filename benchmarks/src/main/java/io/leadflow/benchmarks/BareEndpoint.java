package io.leadflow.benchmarks;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The intake scenario's floor: the same kind of server as lead-intake (Spring MVC on Tomcat, an asynchronous answer)
 * with one endpoint that only checks the website signature's HMAC and answers 202 once Kafka has acknowledged the raw
 * body, with lead-intake's producer settings. Everything lead-intake does beyond that (parsing, normalising, free text,
 * Avro, replay memory) is what the ratio between the two measures.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
        WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class})
class BareEndpoint {

    static final String PATH = "/webhooks/website";

    /** Starts it on a free loopback port; no application.yml of the services on the classpath applies. */
    static ConfigurableApplicationContext start(String bootstrapServers, String topic, String secret) {
        return new SpringApplicationBuilder(BareEndpoint.class)
                .properties(Map.of("spring.config.name", "bare-endpoint", "server.port", "0", "server.address", "127.0.0.1",
                        "spring.main.banner-mode", "off", "spring.jmx.enabled", "false",
                        "spring.threads.virtual.enabled", "true",
                        "bare.bootstrap-servers", bootstrapServers, "bare.topic", topic, "bare.secret", secret))
                .run();
    }

    @Bean(destroyMethod = "close")
    KafkaProducer<byte[], byte[]> bareProducer(org.springframework.core.env.Environment env) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.getRequiredProperty("bare.bootstrap-servers"),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 1), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A member class of the configuration, so Spring registers it. */
    @RestController
    static class Hook {

        private final KafkaProducer<byte[], byte[]> producer;
        private final String topic;
        private final ThreadLocal<Mac> macs;

        Hook(KafkaProducer<byte[], byte[]> producer, org.springframework.core.env.Environment env) {
            this.producer = producer;
            this.topic = env.getRequiredProperty("bare.topic");
            byte[] secret = env.getRequiredProperty("bare.secret").getBytes(StandardCharsets.UTF_8);
            this.macs = ThreadLocal.withInitial(() -> {
                try {
                    Mac mac = Mac.getInstance("HmacSHA256");
                    mac.init(new SecretKeySpec(secret, "HmacSHA256"));
                    return mac;
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        /** {@code X-Leadflow-Signature: t=<seconds>,v1=<hex HMAC-SHA256 of "t.body">}, as lead-intake reads it. */
        @PostMapping(PATH)
        CompletableFuture<ResponseEntity<Void>> receive(@RequestHeader("X-Leadflow-Signature") String signature,
                                                        @RequestBody byte[] body) {
            int comma = signature.indexOf(",v1=");
            if (!signature.startsWith("t=") || comma < 0) {
                return CompletableFuture.completedFuture(ResponseEntity.status(401).build());
            }
            Mac mac = macs.get();
            mac.update(signature.substring(2, comma).getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) '.');
            byte[] expected = mac.doFinal(body);
            byte[] given = HexFormat.of().parseHex(signature.substring(comma + 4));
            if (!MessageDigest.isEqual(expected, given)) {
                return CompletableFuture.completedFuture(ResponseEntity.status(401).build());
            }
            CompletableFuture<ResponseEntity<Void>> answer = new CompletableFuture<>();
            producer.send(new ProducerRecord<>(topic, given, body), (metadata, e) ->
                    answer.complete(e == null ? ResponseEntity.accepted().build() : ResponseEntity.status(503).build()));
            return answer;
        }
    }
}
