package io.leadflow.platform.web;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin-access rule, request by request: binding, token, and paths that try to look like something else. */
class AdminAccessTests {

    static final String TOKEN = "s3cret-admin-token-for-tests";

    @Test
    void onLoopbackWithoutATokenProtectedEndpointsAreOpenButAlwaysProtectedOnesAreRefused() throws Exception {
        for (String loopback : List.of("127.0.0.1", "::1", "localhost")) {
            AdminAccess access = AdminAccess.of(properties("", List.of("/trials/**")), InetAddress.getByName(loopback));

            assertThat(access.mode()).isEqualTo(AdminAccess.Mode.OPEN_ON_LOOPBACK);
            assertThat(access.refusal(get("/routing/reps"))).isEmpty();
            assertThat(access.refusal(get("/trials/1"))).hasValueSatisfying(reason -> assertThat(reason).contains("LEADFLOW_ADMIN_TOKEN must be set"));
        }
    }

    @Test
    void openOnLoopbackRefusesWhatABrowserSendsFromAnotherSite() throws Exception {
        AdminAccess access = AdminAccess.of(properties("", List.of()), InetAddress.getByName("127.0.0.1"));
        MockHttpServletRequest rebound = get("/routing/reps");
        rebound.addHeader("Host", "attacker.example:8082");
        MockHttpServletRequest crossSite = get("/routing/reps");
        crossSite.addHeader("Host", "localhost:8082");
        crossSite.addHeader("Origin", "https://attacker.example");
        MockHttpServletRequest console = get("/routing/reps");
        console.addHeader("Host", "127.0.0.1:8082");
        console.addHeader("Origin", "http://localhost:8090");
        MockHttpServletRequest v6 = get("/routing/reps");
        v6.addHeader("Host", "[::1]:8082");

        assertThat(access.refusal(rebound)).hasValueSatisfying(reason -> assertThat(reason).contains("not a loopback name"));
        assertThat(access.refusal(crossSite)).hasValueSatisfying(reason -> assertThat(reason).contains("another site"));
        assertThat(access.refusal(console)).isEmpty();
        assertThat(access.refusal(v6)).isEmpty();
    }

    @Test
    void beyondLoopbackWithoutATokenProtectedEndpointsAreRefusedSayingTheTokenMustBeSet() throws Exception {
        for (InetAddress beyond : new InetAddress[] {null, InetAddress.getByName("0.0.0.0"), InetAddress.getByName("::"),
                InetAddress.getByName("192.0.2.10")}) {
            AdminAccess access = AdminAccess.of(properties("", List.of()), beyond);

            assertThat(access.mode()).isEqualTo(AdminAccess.Mode.REFUSED);
            assertThat(access.refusal(get("/routing/reps"))).hasValueSatisfying(reason ->
                    assertThat(reason).startsWith("LEADFLOW_ADMIN_TOKEN must be set").contains("beyond loopback"));
            assertThat(access.refusal(get("/actuator/health"))).isEmpty();
            assertThat(access.refusal(get("/webhooks/website"))).isEmpty();
        }
    }

    @Test
    void aConfiguredTokenIsRequiredEverywhereEvenOnLoopback() throws Exception {
        for (InetAddress address : new InetAddress[] {null, InetAddress.getByName("127.0.0.1")}) {
            AdminAccess access = AdminAccess.of(properties(TOKEN, List.of()), address);

            assertThat(access.mode()).isEqualTo(AdminAccess.Mode.TOKEN);
            assertThat(access.refusal(get("/routing/reps"))).hasValue("Authorization: Bearer <LEADFLOW_ADMIN_TOKEN> is required");
            assertThat(access.refusal(withAuthorization(get("/routing/reps"), "Basic " + TOKEN))).isPresent();
            assertThat(access.refusal(withAuthorization(get("/routing/reps"), "Bearer " + TOKEN + "x")))
                    .hasValue("Authorization bearer token is not valid");
            assertThat(access.refusal(withAuthorization(get("/routing/reps"), "Bearer " + TOKEN.substring(1)))).isPresent();
            assertThat(access.refusal(withAuthorization(get("/routing/reps"), "Bearer "))).isPresent();
            assertThat(access.refusal(withAuthorization(get("/routing/reps"), "Bearer " + TOKEN))).isEmpty();
            assertThat(access.refusal(withAuthorization(get("/routing/reps"), "bearer " + TOKEN))).isEmpty();
        }
    }

    @Test
    void onlyTheDeclaredPathsAreProtected() {
        AdminAccessProperties routing = new AdminAccessProperties("", List.of("/routing/**"), defaults().openPaths(), List.of());
        AdminAccess access = AdminAccess.of(routing, null);

        assertThat(access.refusal(get("/routing/decisions/1"))).isPresent();
        assertThat(access.refusal(get("/routing/preview"))).isPresent();
        assertThat(access.refusal(get("/routing"))).isPresent();
        assertThat(access.refusal(get("/actuator/prometheus"))).isEmpty();
        assertThat(access.refusal(get("/elsewhere"))).isEmpty();
    }

    @Test
    void aProtectedEndpointCannotBeReachedThroughAnOpenLookingPath() {
        AdminAccess access = AdminAccess.of(properties("", List.of("/trials/**")), null);

        // Tomcat normalises these to the servlet path; the raw URI looks open. The stricter reading wins.
        assertThat(access.refusal(request("/webhooks/..;/routing/reps", "/routing/reps"))).isPresent();
        assertThat(access.refusal(request("/actuator/health/../../routing/reps", "/routing/reps"))).isPresent();
        assertThat(access.refusal(request("/webhooks;x=y/../trials/1", "/trials/1"))).isPresent();
        // and the other way round: a raw path that decodes to a protected one
        assertThat(access.refusal(request("/%77ebhooks/website", "/webhooks/website"))).isEmpty();
        assertThat(access.refusal(request("/routing/%72eps", "/routing/reps"))).isPresent();
        assertThat(access.refusal(request("/routing/%zz", "/routing/%zz"))).isPresent();
    }

    @Test
    void theStartUpLineSaysHowTheEndpointsAnswerAndNeverPrintsTheToken() throws Exception {
        AdminAccessProperties routing = new AdminAccessProperties(TOKEN, List.of("/routing/**"), defaults().openPaths(), List.of());

        String withToken = AdminAccess.of(routing, null).describe("routing-service");
        String open = AdminAccess.of(properties("", List.of("/trials/**")), InetAddress.getByName("127.0.0.1")).describe("trial-tracker");
        String refused = AdminAccess.of(properties("", List.of()), InetAddress.getByName("0.0.0.0")).describe("crm-sync");

        assertThat(withToken).contains("routing-service", "[/routing/**]", "token-protected", "all interfaces").doesNotContain(TOKEN);
        assertThat(open).contains("OPEN", "loopback", "127.0.0.1", "[/trials/**] are refused until LEADFLOW_ADMIN_TOKEN is set");
        assertThat(refused).contains("REFUSED", "LEADFLOW_ADMIN_TOKEN is not set", "0.0.0.0");
        assertThat(routing.toString()).doesNotContain(TOKEN);
    }

    static AdminAccessProperties defaults() {
        return new AdminAccessProperties("", List.of("/**"), List.of("/actuator/health", "/actuator/health/**", "/actuator/info",
                "/actuator/prometheus", "/webhooks/**", "/openapi/**", "/error"), List.of());
    }

    static AdminAccessProperties properties(String token, List<String> always) {
        AdminAccessProperties d = defaults();
        return new AdminAccessProperties(token, d.protectedPaths(), d.openPaths(), always);
    }

    static MockHttpServletRequest get(String path) {
        return request(path, path);
    }

    static MockHttpServletRequest request(String rawUri, String servletPath) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", rawUri);
        request.setServletPath(servletPath);
        return request;
    }

    static MockHttpServletRequest withAuthorization(MockHttpServletRequest request, String value) {
        request.addHeader("Authorization", value);
        return request;
    }
}
