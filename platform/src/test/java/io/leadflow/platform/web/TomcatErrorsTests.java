package io.leadflow.platform.web;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests Tomcat rejects before any application code runs, and Spring Boot's own error page, all answered as
 * {@code application/problem+json} without internals, on a real embedded Tomcat spoken to over a raw socket.
 */
class TomcatErrorsTests {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static ConfigurableApplicationContext app;
    static int port;

    @BeforeAll
    static void start() {
        app = TestWebApplication.start("server.address=127.0.0.1");
        port = TestWebApplication.port(app);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void anEncodedSlashInThePathIsA400Problem() {
        RawHttp.Answer answer = RawHttp.send(port, "GET /things/a%2fb HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertProblem(answer, 400);
    }

    @Test
    void anInvalidPercentEscapeIsA400Problem() {
        RawHttp.Answer answer = RawHttp.send(port, "GET /things/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertProblem(answer, 400);
    }

    @Test
    void aMalformedRequestLineIsA400Problem() {
        RawHttp.Answer answer = RawHttp.send(port, "GET /th{ings}/1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertProblem(answer, 400);
    }

    @Test
    void aRequestLineWithATrailingTokenIsA400Problem() {
        RawHttp.Answer answer = RawHttp.send(port, "GET /things/1 HTTP/1.1 extra\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertProblem(answer, 400);
    }

    @Test
    void aHeaderNameWithASpaceIsA400Problem() {
        RawHttp.Answer answer = RawHttp.send(port, "GET /things/1 HTTP/1.1\r\nHost: localhost\r\nBad Header: y\r\nConnection: close\r\n\r\n");

        assertProblem(answer, 400);
    }

    @Test
    void anUnsupportedHttpVersionIsA505Problem() {
        RawHttp.Answer answer = RawHttp.send(port, "GET /things/1 HTTP/9.9\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertProblem(answer, 505);
    }

    @Test
    void headersOverEightKilobytesAreA400Problem() {
        String big = "x".repeat(9 * 1024);
        RawHttp.Answer answer = RawHttp.send(port, "GET /things/1 HTTP/1.1\r\nHost: localhost\r\nX-Big: " + big
                + "\r\nConnection: close\r\n\r\n");

        assertProblem(answer, 400);
    }

    @Test
    void aPathNothingServesIsA404ProblemFromTheErrorPage() {
        RawHttp.Answer answer = RawHttp.send(port, "GET /nowhere HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\nConnection: close\r\n\r\n");

        JsonNode problem = assertProblem(answer, 404);
        assertThat(problem.path("instance").asString()).isEqualTo("/nowhere");
    }

    @Test
    void anUncaughtExceptionIsA500ProblemWithoutItsClassOrMessage() {
        RawHttp.Answer answer = RawHttp.send(port, "GET /things/broken HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertProblem(answer, 500);
        assertThat(answer.body()).doesNotContain("secret").doesNotContain("IllegalState");
    }

    @Test
    void theErrorPageItselfAnswersAProblem() {
        RawHttp.Answer answer = RawHttp.send(port, "GET /error HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertProblem(answer, 404);
    }

    static JsonNode assertProblem(RawHttp.Answer answer, int status) {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).as(answer.raw()).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asString()).isNotBlank();
        assertThat(problem.path("detail").asString()).isNotBlank();
        assertThat(answer.raw()).doesNotContainIgnoringCase("tomcat").doesNotContain("Exception").doesNotContain("at org.")
                .doesNotContain("<html");
        assertThat(answer.header("Server")).isNull();
        return problem;
    }
}
