package io.leadflow.sandbox;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may change a sandbox's faults, by the rule of every Leadflow admin endpoint: with an admin token
 * ({@code LEADFLOW_ADMIN_TOKEN}) set, a request must carry {@code Authorization: Bearer <token>}; without one, only the
 * local user may: a request from loopback, addressed to a loopback name (not a page elsewhere that makes the browser call
 * 127.0.0.1 or resolves its own name to it). Tokens are compared in constant time ({@link SandboxToken}).
 */
public final class AdminGuard {

    private static final String BEARER = "Bearer ";

    private volatile SandboxToken token;

    /** From now on every admin request must carry this token, wherever it comes from. */
    public void requireToken(String token) {
        this.token = new SandboxToken(token);
    }

    /** Why {@code request} may not proceed, or empty when it may. */
    public Optional<String> refusal(HttpServletRequest request) {
        SandboxToken required = token;
        if (required != null) {
            String header = request.getHeader(HttpHeaders.AUTHORIZATION);
            if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                return Optional.of("Authorization: Bearer <LEADFLOW_ADMIN_TOKEN> is required");
            }
            return required.matches(header.substring(BEARER.length()).trim()) ? Optional.empty()
                    : Optional.of("Authorization bearer token is not valid");
        }
        if (!loopback(request.getRemoteAddr())) {
            return Optional.of("LEADFLOW_ADMIN_TOKEN must be set: without it, only requests from this machine (loopback) may change faults");
        }
        String host = request.getHeader(HttpHeaders.HOST);
        if (host != null && !loopbackName(hostOf(host))) {
            return Optional.of("Host is not a loopback name: without LEADFLOW_ADMIN_TOKEN, only requests addressed to localhost, "
                    + "127.0.0.1 or [::1] may change faults");
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin != null && !origin.equals("null")) {
            int scheme = origin.indexOf("://");
            if (!loopbackName(hostOf(scheme < 0 ? origin : origin.substring(scheme + 3)))) {
                return Optional.of("Origin is another site: without LEADFLOW_ADMIN_TOKEN, only pages served from loopback may change faults");
            }
        }
        return Optional.empty();
    }

    private static boolean loopback(String address) {
        if (address == null || address.isBlank() || !address.matches("[0-9a-fA-F:.%\\[\\]]+")) {
            return false;
        }
        try {
            // a literal address: no name is looked up
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The host of {@code host[:port]}, {@code [v6]:port} included. */
    private static String hostOf(String authority) {
        String a = authority.trim().toLowerCase(Locale.ROOT);
        if (a.startsWith("[")) {
            int end = a.indexOf(']');
            return end < 0 ? a : a.substring(0, end + 1);
        }
        int colon = a.indexOf(':');
        return colon < 0 ? a : a.substring(0, colon);
    }

    private static boolean loopbackName(String host) {
        return host.equals("localhost") || host.endsWith(".localhost") || host.equals("[::1]") || host.matches("127(\\.\\d{1,3}){3}");
    }
}
