package io.leadflow.routing.privacy;

import io.leadflow.avro.Contact;
import io.leadflow.avro.ErasureReport;
import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.ErasureStatus;
import io.leadflow.avro.LeadReceived;
import io.leadflow.platform.privacy.Subjects;
import io.leadflow.routing.Leads;
import io.leadflow.routing.RunningRoutingService;
import io.leadflow.schemas.Topics;
import io.leadflow.testing.AvroTopics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The erasure lane on the real broker with {@code exactly_once_v2}: the report comes out of the routing task's transaction
 * and the decision is gone from the API.
 */
class RoutingErasureOnBrokerTests extends RunningRoutingService {

    private static final Subjects SUBJECTS = new Subjects(PRIVACY_KEY);

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anErasedPersonsDecisionIsGoneOnceRoutingReportsDone() throws Exception {
        String email = "erase-" + UUID.randomUUID() + "@lovelace.example";
        LeadReceived base = Leads.lead().build();
        LeadReceived lead = LeadReceived.newBuilder(base).setContact(Contact.newBuilder(base.getContact()).setEmail(email).build()).build();
        send(Topics.LEADS_RECEIVED.name(), lead.getLeadId(), lead);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> decision(lead.getLeadId()).statusCode() == 200);
        String erasureId = UUID.randomUUID().toString();

        send(Topics.PRIVACY_ERASURES.name(), SUBJECTS.of(email), ErasureRequested.newBuilder().setErasureId(erasureId)
                .setSubject(SUBJECTS.of(email)).setEmail(email).setRequestedAt(Instant.now()).build());

        ErasureReport report = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> report(erasureId + ":routing-service state"), found -> found != null);
        assertThat(report.getStatus()).isEqualTo(ErasureStatus.DONE);
        assertThat(report.getDetail()).startsWith("1 decisions");
        assertThat(decision(lead.getLeadId()).statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> decision(String leadId) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/routing/decisions/" + leadId))
                .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void send(String topic, String key, Object value) {
        AvroTopics.send(REGISTRY, topic, key, value);
    }

    /** The latest committed report under this key, or null. */
    private static ErasureReport report(String key) {
        ErasureReport latest = null;
        for (ConsumerRecord<String, Object> record : AvroTopics.readAll(REGISTRY, Topics.PRIVACY_ERASURE_REPORTS.name())) {
            if (key.equals(record.key())) {
                latest = (ErasureReport) record.value();
            }
        }
        return latest;
    }
}
