package io.leadflow.sandbox;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** Who may change a sandbox's faults: the local user without an admin token, only its bearer with one. */
class AdminGuardTests {

    @Test
    void withoutATokenOnlyTheLocalUserMayAndNotAPageElsewhere() {
        AdminGuard guard = new AdminGuard();

        assertThat(guard.refusal(request("127.0.0.1", "127.0.0.1:8090", null))).isEmpty();
        assertThat(guard.refusal(request("::1", "localhost:8090", "http://localhost:8090"))).isEmpty();
        assertThat(guard.refusal(request("203.0.113.7", "sandbox.example:8090", null))).hasValueSatisfying(
                why -> assertThat(why).contains("LEADFLOW_ADMIN_TOKEN"));
        // DNS rebinding: a page elsewhere whose name resolves to 127.0.0.1
        assertThat(guard.refusal(request("127.0.0.1", "evil.example:8090", null))).isPresent();
        // a cross-site request the browser sends to 127.0.0.1
        assertThat(guard.refusal(request("127.0.0.1", "127.0.0.1:8090", "https://evil.example"))).isPresent();
    }

    @Test
    void withATokenEveryRequestNeedsItEvenFromLoopback() {
        AdminGuard guard = new AdminGuard();
        guard.requireToken("admin-secret");

        MockHttpServletRequest local = request("127.0.0.1", "127.0.0.1:8090", null);
        MockHttpServletRequest wrong = request("203.0.113.7", "sandbox.example", null);
        wrong.addHeader("Authorization", "Bearer admin-secre");
        MockHttpServletRequest right = request("203.0.113.7", "sandbox.example", null);
        right.addHeader("Authorization", "bearer admin-secret");

        assertThat(guard.refusal(local)).isPresent();
        assertThat(guard.refusal(wrong)).isPresent();
        assertThat(guard.refusal(right)).isEmpty();
    }

    private static MockHttpServletRequest request(String from, String host, String origin) {
        MockHttpServletRequest request = new MockHttpServletRequest("PUT", "/sandbox/hubspot/faults");
        request.setRemoteAddr(from);
        request.addHeader("Host", host);
        if (origin != null) {
            request.addHeader("Origin", origin);
        }
        return request;
    }
}
