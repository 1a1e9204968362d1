package io.leadflow.platform.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The platform's one problem advice, in front of a small controller: every error it maps is
 * {@code application/problem+json} with the status's title, a detail and the {@code field} to blame.
 */
class ProblemAdviceTests {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** A service's own exception, known to a {@link ProblemMapping}. */
    static final class StoreRestoring extends RuntimeException {
    }

    /** Nothing maps it: a fault of the service. */
    static final class Unexpected extends RuntimeException {
    }

    record Order(@NotBlank String customer, @Min(1) @Max(10) int quantity, List<String> notes) {
    }

    @RestController
    static class Orders {

        @PostMapping(path = "/orders", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
        Map<String, Object> create(@Valid @RequestBody Order order) {
            return Map.of("customer", order.customer());
        }

        @PostMapping("/orders/raw")
        Map<String, Object> raw(@RequestBody byte[] body) {
            return Map.of("customer", JSON.readValue(body, Order.class).customer());
        }

        @GetMapping("/orders")
        Map<String, Object> list(@RequestParam int limit, @RequestHeader("X-Tenant") String tenant) {
            return Map.of("limit", limit, "tenant", tenant);
        }

        @GetMapping("/orders/late")
        Map<String, Object> late() {
            throw new HttpProblem(HttpStatus.CONFLICT, "orderId", "is already shipped").retryAfter(Duration.ofSeconds(7))
                    .with("shippedAt", "2026-01-05T14:03:00Z");
        }

        @GetMapping("/orders/restoring")
        Map<String, Object> restoring() {
            throw new CompletionException(new StoreRestoring());
        }

        @GetMapping("/orders/wrapped")
        Map<String, Object> wrapped() {
            throw new IllegalStateException("while reading", HttpProblem.invalid("cursor", "is not a cursor this service gave out"));
        }

        @PostMapping("/orders/upload")
        Map<String, Object> upload() {
            throw new MaxUploadSizeExceededException(1024);
        }

        @GetMapping("/orders/broken")
        Map<String, Object> broken() {
            throw new Unexpected();
        }
    }

    final List<String> heard = new ArrayList<>();
    final List<String> mappedFor = new ArrayList<>();

    final ProblemMapping restoring = (e, handler) -> {
        if (!(e instanceof StoreRestoring)) {
            return null;
        }
        mappedFor.add(handler.getBeanType().getSimpleName() + "." + handler.getMethod().getName());
        return HttpProblem.unavailable("orders are being restored; retry shortly", Duration.ofSeconds(5));
    };

    final MockMvc mvc = MockMvcBuilders.standaloneSetup(new Orders())
            .setControllerAdvice(new ProblemAdvice(List.of(restoring),
                    List.of((request, exception, status, problem) -> heard.add(status.value() + " " + request.getRequestURI()))))
            .build();

    @Test
    void anHttpProblemKeepsItsStatusFieldHeadersAndProperties() throws Exception {
        problem(mvc.perform(get("/orders/late")), 409, "orderId")
                .andExpect(jsonPath("$.title").value("Conflict"))
                .andExpect(jsonPath("$.detail").value("orderId is already shipped"))
                // Spring leaves out the default type; RFC 9457 reads a missing type as about:blank.
                .andExpect(jsonPath("$.type").doesNotExist())
                .andExpect(jsonPath("$.instance").value("/orders/late"))
                .andExpect(jsonPath("$.shippedAt").value("2026-01-05T14:03:00Z"))
                .andExpect(header().string("Retry-After", "7"));
        assertThat(heard).containsExactly("409 /orders/late");
    }

    @Test
    void aBodyFieldOfTheWrongTypeIsNamedWithItsPath() throws Exception {
        problem(mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON)
                .content("{\"customer\":\"Ada\",\"quantity\":2,\"notes\":[\"a\",{}]}")), 400, "notes[1]")
                .andExpect(jsonPath("$.detail").value("notes[1] has the wrong type or format"));
    }

    @Test
    void aMissingOrMalformedBodyNamesTheBody() throws Exception {
        problem(mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content("{\"customer\":")), 400, "body")
                .andExpect(jsonPath("$.detail").value(ProblemAdvice.UNREADABLE_BODY));
        problem(mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON)), 400, "body");
    }

    @Test
    void jsonAControllerReadsItselfIsDescribedWithoutInternalNames() throws Exception {
        problem(mvc.perform(post("/orders/raw").content("{\"customer\":\"Ada\",\"notes\":\"one\"}")), 400, "notes")
                .andExpect(jsonPath("$.detail").value("notes must be an array"));
        problem(mvc.perform(post("/orders/raw").content("{\"customer\":[1]}")), 400, "customer")
                .andExpect(jsonPath("$.detail").value("customer must be a string"));
        problem(mvc.perform(post("/orders/raw").content("{\"customer\" \"Ada\"}")), 400, "body")
                .andExpect(jsonPath("$.detail").value(startsWith("body is not valid JSON (line 1, column")));
    }

    @Test
    void failedBeanValidationListsEveryFieldAndNamesTheFirst() throws Exception {
        problem(mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content("{\"customer\":\" \",\"quantity\":11}")),
                400, "customer")
                .andExpect(jsonPath("$.errors[0].field").value("customer"))
                .andExpect(jsonPath("$.errors[1].field").value("quantity"))
                .andExpect(jsonPath("$.detail").value(startsWith("customer must not be blank; quantity must be")));
    }

    @Test
    void aParameterOfTheWrongTypeIsNamed() throws Exception {
        problem(mvc.perform(get("/orders").param("limit", "ten").header("X-Tenant", "acme")), 400, "limit");
    }

    @Test
    void aMissingParameterOrHeaderIsNamed() throws Exception {
        problem(mvc.perform(get("/orders").header("X-Tenant", "acme")), 400, "limit");
        problem(mvc.perform(get("/orders").param("limit", "3")), 400, "X-Tenant");
    }

    @Test
    void anUnsupportedOrUnacceptableMediaTypeNamesItsHeader() throws Exception {
        problem(mvc.perform(post("/orders").contentType(MediaType.TEXT_PLAIN).content("Ada")), 415, "Content-Type")
                .andExpect(jsonPath("$.title").value("Unsupported Media Type"));
        problem(mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).accept(MediaType.IMAGE_PNG)
                .content("{\"customer\":\"Ada\",\"quantity\":1}")), 406, "Accept");
    }

    @Test
    void aBodyOverTheSizeLimitNamesTheBody() throws Exception {
        problem(mvc.perform(post("/orders/upload")), 413, "body");
    }

    @Test
    void aServicesOwnExceptionIsAnsweredThroughItsMappingEvenAsACause() throws Exception {
        problem(mvc.perform(get("/orders/restoring")), 503, null)
                .andExpect(jsonPath("$.detail").value("orders are being restored; retry shortly"))
                .andExpect(header().string("Retry-After", "5"));
        assertThat(mappedFor).containsExactly("Orders.restoring");
        problem(mvc.perform(get("/orders/wrapped")), 400, "cursor");
    }

    @Test
    void anExceptionNothingMapsIsLeftToTheContainersErrorPage() {
        assertThatThrownBy(() -> mvc.perform(get("/orders/broken"))).hasRootCauseInstanceOf(Unexpected.class);
        assertThat(heard).isEmpty();
    }

    private static ResultActions problem(ResultActions result, int status, String field) throws Exception {
        result.andExpect(status().is(status))
                .andExpect(header().string("Content-Type", startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE)))
                .andExpect(jsonPath("$.status").value(status))
                .andExpect(jsonPath("$.title").isNotEmpty())
                .andExpect(jsonPath("$.detail").isNotEmpty());
        if (field != null) {
            result.andExpect(jsonPath("$.field").value(field));
        } else {
            result.andExpect(jsonPath("$.field").doesNotExist());
        }
        return result;
    }
}
