package io.leadflow.platform.streams;

import io.leadflow.platform.web.AdminAccessProperties;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Kafka Streams interactive queries across the instances of one service. Each instance advertises the host:port its
 * API answers on as {@code application.server}; Kafka Streams then tells every instance which one holds the active
 * copy of a key's store ({@link KafkaStreams#queryMetadataForKey}) and which ones hold parts of a store
 * ({@link KafkaStreams#streamsMetadataForStore}). A read for a key held elsewhere is forwarded to that instance, a
 * read of everything is gathered from all of them, so any instance answers for every partition.
 * <ul>
 *   <li>Forwarded requests carry the admin token (the forwarded endpoints read personal data) and the
 *       {@value #FORWARDED} hop marker: an instance answers a marked request itself or not at all, so a request is
 *       forwarded at most once, even when two instances briefly disagree about who holds a key.</li>
 *   <li>While Kafka Streams is not {@code RUNNING} (starting, rebalancing), while a key has no active host, or when the
 *       instance holding it does not answer within the timeout, {@link NotReady} is thrown: the caller answers 503 and
 *       the client retries, rather than a 404 for data that exists elsewhere or a partial list.</li>
 *   <li>Without {@code application.server} the service runs as a single instance and reads only its own stores.</li>
 * </ul>
 */
public final class InstanceQueries {

    /** The hop marker of a forwarded request; its value names the instance that forwarded it. */
    public static final String FORWARDED = "X-Leadflow-Forwarded";

    private final StreamsBuilderFactoryBean streams;
    private final String token;
    private final RestClient peers;

    /**
     * @param timeout how long a peer may take to connect, then to answer
     */
    public InstanceQueries(StreamsBuilderFactoryBean streams, AdminAccessProperties admin, Duration timeout) {
        this.streams = streams;
        this.token = admin.token();
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(timeout);
        requests.setReadTimeout(timeout);
        this.peers = RestClient.builder().requestFactory(requests).build();
    }

    /** Whether this request was forwarded here by another instance. */
    public static boolean forwarded(HttpServletRequest request) {
        return request.getHeader(FORWARDED) != null;
    }

    /**
     * Where the active copy of {@code key}'s partition of {@code store} is: empty when on this instance (the caller
     * reads its own store), else the base URL of the instance to forward to.
     *
     * @throws NotReady while that is not known, or when a forwarded request names another instance again
     */
    public Optional<URI> ownerOf(String store, String key, HttpServletRequest request) {
        KafkaStreams running = running();
        HostInfo self = self();
        if (self == null) {
            return Optional.empty();
        }
        KeyQueryMetadata metadata = running.queryMetadataForKey(store, key, Serdes.String().serializer());
        HostInfo active = metadata == null ? null : metadata.activeHost();
        if (active == null || active.equals(HostInfo.unavailable()) || active.host() == null || active.host().isEmpty()) {
            throw new NotReady("no instance holds this key's state right now (the instances are starting or rebalancing)");
        }
        if (active.equals(self)) {
            return Optional.empty();
        }
        if (forwarded(request)) {
            throw new NotReady("the instances disagree about who holds this key's state (a rebalance is under way)");
        }
        return Optional.of(base(active));
    }

    /**
     * Sends this request on to {@code owner} once, with the admin token and the hop marker, and answers with what it
     * answered (status, content type, {@code Retry-After}, {@code Location} and body).
     *
     * @param body the request body as JSON, or null
     * @throws NotReady when the owner does not answer in time
     */
    public ResponseEntity<byte[]> forward(URI owner, HttpServletRequest request, byte[] body) {
        RestClient.RequestBodySpec spec = peers.method(HttpMethod.valueOf(request.getMethod())).uri(target(owner, request))
                .headers(headers -> marked(headers, request));
        if (body != null) {
            spec.contentType(MediaType.APPLICATION_JSON).body(body);
        }
        try {
            return spec.exchange((sent, response) -> {
                ResponseEntity.BodyBuilder answer = ResponseEntity.status(response.getStatusCode());
                HttpHeaders headers = response.getHeaders();
                if (headers.getContentType() != null) {
                    answer.contentType(headers.getContentType());
                }
                for (String name : List.of(HttpHeaders.RETRY_AFTER, HttpHeaders.LOCATION)) {
                    String value = headers.getFirst(name);
                    if (value != null) {
                        answer.header(name, value);
                    }
                }
                return answer.body(response.getBody().readAllBytes());
            });
        } catch (RestClientException e) {
            throw new NotReady("the instance holding this state (" + owner + ") did not answer in time");
        }
    }

    /**
     * Everything of {@code store}: this instance's part from {@code local}, every other instance's part by the same
     * request (marked as forwarded, so each answers with its own part only), parsed by {@code parse}. A forwarded
     * request is answered with the local part alone.
     *
     * @param sourceTopic the topic whose partitions the store is split by; every one of its {@code partitions} must have
     *                    an active instance, else the answer would miss some
     * @throws NotReady while some part has no active instance, or an instance does not answer 200 in time
     */
    public <T> List<T> gather(String store, String sourceTopic, int partitions, HttpServletRequest request,
                              Supplier<List<T>> local, Function<byte[], List<T>> parse) {
        KafkaStreams running = running();
        HostInfo self = self();
        if (self == null || forwarded(request)) {
            return local.get();
        }
        Collection<StreamsMetadata> hosts = running.streamsMetadataForStore(store);
        Set<Integer> covered = hosts.stream().flatMap(host -> host.topicPartitions().stream())
                .filter(partition -> partition.topic().equals(sourceTopic)).map(TopicPartition::partition)
                .collect(Collectors.toSet());
        if (covered.size() < partitions) {
            throw new NotReady("only " + covered.size() + " of the " + partitions + " partitions of " + sourceTopic
                    + " have an active instance right now (a rebalance is under way)");
        }
        List<T> all = new ArrayList<>();
        for (StreamsMetadata host : hosts) {
            if (host.hostInfo().equals(self)) {
                all.addAll(local.get());
                continue;
            }
            ResponseEntity<byte[]> answer = forward(base(host.hostInfo()), request, null);
            if (!answer.getStatusCode().is2xxSuccessful() || answer.getBody() == null) {
                throw new NotReady("the instance at " + base(host.hostInfo()) + " answered " + answer.getStatusCode().value());
            }
            all.addAll(parse.apply(answer.getBody()));
        }
        return all;
    }

    private void marked(HttpHeaders headers, HttpServletRequest request) {
        HostInfo self = self();
        headers.set(FORWARDED, self == null ? "1" : self.host() + ":" + self.port());
        if (!token.isEmpty()) {
            headers.setBearerAuth(token);
        }
        headers.setAccept(List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON));
        String idempotencyKey = request.getHeader("Idempotency-Key");
        if (idempotencyKey != null) {
            headers.set("Idempotency-Key", idempotencyKey);
        }
    }

    private static URI target(URI owner, HttpServletRequest request) {
        String query = request.getQueryString();
        return URI.create(owner + request.getRequestURI() + (query == null ? "" : "?" + query));
    }

    private KafkaStreams running() {
        KafkaStreams current = streams.getKafkaStreams();
        if (current == null || current.state() != KafkaStreams.State.RUNNING) {
            throw new NotReady("the state is not ready (Kafka Streams is "
                    + (current == null ? "not started" : current.state()) + "; starting or rebalancing)");
        }
        return current;
    }

    /** This instance as other instances reach it; null without {@code application.server} (a single instance). */
    private HostInfo self() {
        Object server = streams.getStreamsConfiguration() == null ? null
                : streams.getStreamsConfiguration().get(StreamsConfig.APPLICATION_SERVER_CONFIG);
        return server == null || server.toString().isBlank() ? null : HostInfo.buildFromEndpoint(server.toString().trim());
    }

    private static URI base(HostInfo host) {
        return URI.create("http://" + host.host() + ":" + host.port());
    }

    /** The answer cannot be given right now; callers answer 503 with {@code Retry-After}. */
    public static final class NotReady extends RuntimeException {
        NotReady(String message) {
            super(message);
        }
    }
}
