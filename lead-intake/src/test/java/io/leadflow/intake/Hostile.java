package io.leadflow.intake;

import io.leadflow.schemas.Topic;
import org.junit.jupiter.api.DynamicTest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends hostile requests to the running service, one at a time, and checks what every answer must satisfy whatever
 * the request: never a 5xx; a 4xx is {@code application/problem+json} with {@code status}, {@code title},
 * {@code detail} and the {@code field} at fault, and names no internal class; nothing reaches {@code leads.received}
 * or {@code deals.stage-changed} for a rejected request (their end offsets are compared around every request), and an
 * accepted one publishes exactly what its answer says. Each request also states what it expects ({@link Expect}). A
 * failure names the request and the seed its draws came from ({@link Seeded#seed()}).
 */
public final class Hostile implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Hostile.class);

    /** Names a problem must never show: our packages, Jackson's, the JDK's, or any exception class. */
    public static final List<String> INTERNAL = List.of("io.leadflow", "tools.jackson", "java.", "Exception");
    /** The topics a rejected request must leave alone. */
    private static final Topic<?>[] WATCHED = {io.leadflow.schemas.Topics.LEADS_RECEIVED, io.leadflow.schemas.Topics.DEALS_STAGE_CHANGED};

    private final Webhooks webhooks;
    private final ObjectMapper json;
    private final Published.EndOffsets offsets;
    private final List<Answer> answers = new ArrayList<>();

    /**
     * @param control a valid request for the endpoint, sent first: it must be accepted, which shows the corpus and its
     *                signing are sound (so the rejections that follow are the mutations' doing)
     */
    public Hostile(Webhooks webhooks, Published published, ObjectMapper json, Request control) {
        this.webhooks = webhooks;
        this.json = json;
        this.offsets = published.watchEndOffsets(WATCHED);
        Answer answer = send(control);
        assertThat(answer.status()).as("the control request %s is accepted: %s", control.label(), answer.body()).isBetween(200, 299);
    }

    /** One request: where, what, and what it may be answered with. */
    public record Request(String label, String path, String contentType, byte[] body, List<String> headers, Expect expect) {

        public Request {
            headers = List.copyOf(headers);
        }

        public Request(String label, String path, String contentType, byte[] body, Expect expect, String... headers) {
            this(label, path, contentType, body, Arrays.asList(headers), expect);
        }
    }

    /**
     * What a request may be answered with: a 2xx when {@code mayAccept}, else (or also) a 4xx whose status is one of
     * {@code statuses} (any 4xx when empty) and whose {@code field} is one of {@code fields}.
     */
    public record Expect(boolean mayAccept, Set<Integer> statuses, Set<String> fields) {

        /** Accepted, or rejected naming one of these fields. */
        public static Expect acceptedOrNaming(String... fields) {
            return new Expect(true, Set.of(), Set.of(fields));
        }

        /** Rejected with this status, naming one of these fields. */
        public static Expect rejected(int status, String... fields) {
            return new Expect(false, Set.of(status), Set.of(fields));
        }

        /** Rejected with any 4xx, naming one of these fields. */
        public static Expect rejectedNaming(String... fields) {
            return new Expect(false, Set.of(), Set.of(fields));
        }

        /** The same, but a 2xx is fine too. */
        public Expect orAccepted() {
            return new Expect(true, statuses, fields);
        }

        @Override
        public String toString() {
            return (mayAccept ? "2xx or " : "") + (statuses.isEmpty() ? "4xx" : statuses) + " naming " + fields;
        }
    }

    /** How a request was answered, how long the answer took (for the report only), and how many records it published. */
    public record Answer(Request request, int status, String body, long wallNanos, long published) {
    }

    /**
     * Each request as a dynamic test of its own, named by its label. The requests are built as JUnit reaches them (so
     * signatures are fresh and large bodies are not all held at once).
     */
    public Stream<DynamicTest> tests(Stream<Request> requests) {
        return requests.map(request -> DynamicTest.dynamicTest(request.label(), () -> send(request)));
    }

    /** Requests to build when their turn comes. */
    public static final class Cases extends ArrayList<java.util.function.Supplier<Request>> {
    }

    /** Cases built one by one when their turn comes. */
    public static Stream<Request> lazily(List<java.util.function.Supplier<Request>> cases) {
        return cases.stream().map(java.util.function.Supplier::get);
    }

    /** Sends one request alone and checks its answer. */
    public Answer send(Request request) {
        long before = offsets.sum();
        long started = System.nanoTime();
        HttpResponse<String> response = webhooks.post(request.path(), request.contentType(), request.body(),
                request.headers().toArray(String[]::new));
        long wall = System.nanoTime() - started;
        long published = offsets.sum() - before;
        Answer answer = new Answer(request, response.statusCode(), response.body(), wall, published);
        synchronized (answers) {
            answers.add(answer);
        }
        check(answer, response);
        return answer;
    }

    private void check(Answer answer, HttpResponse<String> response) {
        Request request = answer.request();
        String shown = request.label() + " (seed " + Seeded.seed() + ", -D" + Seeded.SEED_PROPERTY + "=" + Seeded.seed() + ") -> "
                + answer.status() + " " + abbreviate(answer.body());
        assertThat(answer.status()).as("never a 5xx: %s", shown).isLessThan(500);
        if (answer.status() >= 400) {
            assertThat(response.headers().firstValue("Content-Type")).as("problem+json: %s", shown)
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            JsonNode problem = json.readTree(answer.body());
            assertThat(problem.path("status").asInt()).as("status: %s", shown).isEqualTo(answer.status());
            assertThat(problem.path("title").asString("")).as("title: %s", shown).isNotBlank();
            assertThat(problem.path("detail").asString("")).as("detail: %s", shown).isNotBlank();
            assertThat(problem.path("field").asString("")).as("field: %s", shown).isNotBlank();
            assertThat(answer.body()).as("no internal names: %s", shown).doesNotContain(INTERNAL);
            assertThat(answer.published()).as("nothing published for a rejection: %s", shown).isZero();
            assertThat(request.expect().statuses().isEmpty() || request.expect().statuses().contains(answer.status()))
                    .as("status %s expected %s: %s", answer.status(), request.expect(), shown).isTrue();
            assertThat(problem.path("field").asString("")).as("field expected %s: %s", request.expect(), shown)
                    .isIn(request.expect().fields());
        } else {
            assertThat(request.expect().mayAccept()).as("expected %s: %s", request.expect(), shown).isTrue();
            assertThat(answer.status()).as(shown).isIn(200, 202);
            assertThat(answer.published()).as("published what the answer says: %s", shown).isEqualTo(publishedBy(answer.body()));
        }    }

    /** Records an accepted answer published: HubSpot says how many; a lead answered accepted or rescheduled is one. */
    private long publishedBy(String body) {
        JsonNode answer;
        try {
            answer = json.readTree(body);
        } catch (JacksonException e) {
            return 0;
        }
        if (answer.has("published")) {
            return answer.get("published").asLong();
        }
        String outcome = answer.path("outcome").asString("");
        return outcome.equals("accepted") || outcome.equals("rescheduled") ? 1 : 0;
    }

    /** What was sent and how it went: counts by status, and the slowest request. */
    public String report(String suite) {
        synchronized (answers) {
            Map<Integer, Integer> byStatus = new TreeMap<>();
            answers.forEach(a -> byStatus.merge(a.status(), 1, Integer::sum));
            Answer wall = answers.stream().max(Comparator.comparingLong(Answer::wallNanos)).orElse(null);
            return suite + ": " + answers.size() + " requests, by status " + byStatus
                    + (wall == null ? "" : "; slowest " + wall.wallNanos() / 1_000_000 + " ms for " + wall.request().label()
                    + " (" + wall.request().body().length + " bytes)");
        }
    }

    @Override
    public void close() {
        offsets.close();
    }

    /** Logs the report, writes every answer to {@code target/hostile-requests/<suite>.tsv}, and closes. */
    public void closeAndReport(String suite) {
        log.info("{}", report(suite));
        try {
            java.nio.file.Path dir = java.nio.file.Path.of("target", "hostile-requests");
            java.nio.file.Files.createDirectories(dir);
            List<String> lines = new ArrayList<>();
            lines.add("label\tstatus\tfield\tbytes\twall_ms\tpublished");
            synchronized (answers) {
                for (Answer a : answers) {
                    String field = "";
                    if (a.status() >= 400) {
                        try {
                            field = json.readTree(a.body()).path("field").asString("");
                        } catch (JacksonException e) {
                            field = "?";
                        }
                    }
                    lines.add(String.join("\t", a.request().label().replace('\t', ' ').replace('\n', ' ').replace('\r', ' '),
                            Integer.toString(a.status()), field, Integer.toString(a.request().body().length),
                            Long.toString(a.wallNanos() / 1_000_000), Long.toString(a.published())));
                }
            }
            java.nio.file.Files.write(dir.resolve(suite + ".tsv"), lines);
        } catch (java.io.IOException e) {
            log.warn("Could not write the answers of {}: {}", suite, e.toString());
        }
        close();
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() <= 600 ? s : s.substring(0, 600) + "…";
    }
}
