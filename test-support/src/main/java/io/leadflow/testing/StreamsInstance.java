package io.leadflow.testing;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One instance of a Kafka Streams service, started as its own Spring application on the shared broker with its own
 * port and state directory, so that a test can run several instances of one Streams application side by side and call
 * each over HTTP with the admin token.
 */
public record StreamsInstance(ConfigurableApplicationContext context, int port, String token) implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /**
     * Starts one more instance of {@code application} in the Streams application {@code applicationId}, reading and
     * writing records with the schemas of {@code registry}; {@code more} adds or overrides command-line properties.
     */
    public static StreamsInstance start(Class<?> application, String applicationId, String registry, String token, String... more) {
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            List<String> args = new ArrayList<>(List.of(
                    "--server.port=" + port,
                    "--spring.kafka.bootstrap-servers=" + KafkaBrokers.shared().bootstrapServers(),
                    "--spring.kafka.properties.schema.registry.url=" + registry,
                    "--spring.kafka.streams.application-id=" + applicationId,
                    "--spring.kafka.streams.state-dir=" + Files.createTempDirectory(applicationId),
                    "--spring.kafka.streams.properties.application.server=localhost:" + port,
                    "--leadflow.admin.token=" + token,
                    "--management.endpoints.web.exposure.include=health"));
            args.addAll(List.of(more));
            return new StreamsInstance(new SpringApplicationBuilder(application).run(args.toArray(String[]::new)), port, token);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public KafkaStreams streams() {
        return context.getBean(StreamsBuilderFactoryBean.class).getKafkaStreams();
    }

    public boolean running() {
        KafkaStreams streams = streams();
        return streams != null && streams.state() == KafkaStreams.State.RUNNING;
    }

    /** Whether this instance runs the active task that holds {@code key} of {@code store}. */
    public boolean holds(String store, String key) {
        return streams().queryMetadataForKey(store, key, Serdes.String().serializer()).activeHost()
                .equals(new HostInfo("localhost", port));
    }

    /** A JSON call to this instance with the admin token and the given extra {@code headers}. */
    public HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token);
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
