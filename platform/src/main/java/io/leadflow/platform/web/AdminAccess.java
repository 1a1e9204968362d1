package io.leadflow.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.web.util.UriUtils;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The admin-access rule of one service. Endpoints that read personal data or change state need
 * {@code Authorization: Bearer <LEADFLOW_ADMIN_TOKEN>}:
 * <ul>
 *   <li>whenever a token is configured;</li>
 *   <li>when none is configured and the server listens only on loopback (127.0.0.1, ::1, localhost), they are open;</li>
 *   <li>when none is configured and the server listens beyond loopback (no {@code server.address}, a wildcard or any
 *       other address), they are refused: never open by accident.</li>
 * </ul>
 * Always-protected endpoints need the token even on loopback. Tokens are compared in constant time (SHA-256 of both
 * sides, then {@link MessageDigest#isEqual}), so neither the content nor the length of the token leaks.
 */
public final class AdminAccess {

    /** How the protected endpoints answer. */
    public enum Mode {
        /** Loopback only and no token configured: the local user calls them without one. */
        OPEN_ON_LOOPBACK,
        /** A token is configured: every call must carry it. */
        TOKEN,
        /** Beyond loopback without a token: every call is refused until LEADFLOW_ADMIN_TOKEN is set. */
        REFUSED
    }

    private static final String BEARER = "Bearer ";
    private static final PathPatternParser PARSER = PathPatternParser.defaultInstance;

    private final byte[] tokenDigest;
    private final boolean loopbackOnly;
    private final String listensOn;
    private final AdminAccessProperties properties;
    private final List<PathPattern> protectedPaths;
    private final List<PathPattern> openPaths;
    private final List<PathPattern> alwaysProtectedPaths;

    private AdminAccess(AdminAccessProperties properties, InetAddress serverAddress) {
        this.properties = properties;
        this.tokenDigest = properties.tokenConfigured() ? sha256(properties.token()) : null;
        this.loopbackOnly = serverAddress != null && serverAddress.isLoopbackAddress();
        this.listensOn = serverAddress == null ? "all interfaces"
                : serverAddress.isAnyLocalAddress() ? "all interfaces (" + serverAddress.getHostAddress() + ")"
                : serverAddress.getHostAddress();
        this.protectedPaths = parse(properties.protectedPaths());
        this.openPaths = parse(properties.openPaths());
        this.alwaysProtectedPaths = parse(properties.alwaysProtectedPaths());
    }

    /**
     * @param serverAddress the address the server binds ({@code server.address}); null = every interface
     */
    public static AdminAccess of(AdminAccessProperties properties, InetAddress serverAddress) {
        return new AdminAccess(properties, serverAddress);
    }

    public Mode mode() {
        if (tokenDigest != null) {
            return Mode.TOKEN;
        }
        return loopbackOnly ? Mode.OPEN_ON_LOOPBACK : Mode.REFUSED;
    }

    /** Whether protected endpoints answer without a token (loopback only, none configured). */
    public boolean open() {
        return mode() == Mode.OPEN_ON_LOOPBACK;
    }

    public boolean loopbackOnly() {
        return loopbackOnly;
    }

    /**
     * Why this request may not proceed, or empty when it may. A request is judged by both its container-normalised
     * path and the path Spring MVC matches (raw URI, decoded per segment), and the stricter answer wins, so that
     * {@code ..}, {@code ;params} or percent-encoding cannot walk a protected endpoint into an open pattern.
     */
    public Optional<String> refusal(HttpServletRequest request) {
        boolean always;
        boolean needsToken;
        try {
            List<PathContainer> paths = paths(request);
            always = paths.stream().anyMatch(p -> matches(alwaysProtectedPaths, p));
            boolean exempt = !always && paths.stream().allMatch(p -> matches(openPaths, p));
            needsToken = always || (!exempt && paths.stream().anyMatch(p -> matches(protectedPaths, p)));
        } catch (IllegalArgumentException e) {
            // A path that cannot be decoded (Tomcat refuses most before they get here): judged as protected.
            always = false;
            needsToken = true;
        }
        if (!needsToken) {
            return Optional.empty();
        }
        if (tokenDigest == null) {
            if (always) {
                return Optional.of("LEADFLOW_ADMIN_TOKEN must be set: this endpoint always needs the admin token, and none is configured");
            }
            if (loopbackOnly) {
                return browserFromElsewhere(request);
            }
            return Optional.of("LEADFLOW_ADMIN_TOKEN must be set: this service listens beyond loopback (" + listensOn
                    + "), so its admin endpoints need a token, and none is configured");
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.of("Authorization: Bearer <LEADFLOW_ADMIN_TOKEN> is required");
        }
        byte[] given = sha256(header.substring(BEARER.length()).trim());
        return MessageDigest.isEqual(given, tokenDigest) ? Optional.empty() : Optional.of("Authorization bearer token is not valid");
    }

    /**
     * Open on loopback means open to the local user, not to every web page that user's browser visits: a page elsewhere
     * can still make the browser send a request to 127.0.0.1 (a cross-site form post), or resolve its own name to
     * 127.0.0.1 (DNS rebinding). Such requests carry a foreign {@code Origin} or {@code Host}, and are refused.
     */
    private static Optional<String> browserFromElsewhere(HttpServletRequest request) {
        String host = request.getHeader(HttpHeaders.HOST);
        if (host != null && !isLoopbackName(hostOf(host))) {
            return Optional.of("Host " + printable(host) + " is not a loopback name: without LEADFLOW_ADMIN_TOKEN, admin endpoints answer "
                    + "only requests addressed to localhost, 127.0.0.1 or [::1]");
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin != null && !origin.equals("null") && !isLoopbackName(hostOf(stripScheme(origin)))) {
            return Optional.of("Origin " + printable(origin) + " is another site: without LEADFLOW_ADMIN_TOKEN, admin endpoints answer "
                    + "only pages served from loopback");
        }
        return Optional.empty();
    }

    private static String stripScheme(String origin) {
        int scheme = origin.indexOf("://");
        return scheme < 0 ? origin : origin.substring(scheme + 3);
    }

    /** The host of {@code host[:port]}, {@code [v6]:port} included. */
    private static String hostOf(String authority) {
        String a = authority.trim().toLowerCase(java.util.Locale.ROOT);
        if (a.startsWith("[")) {
            int end = a.indexOf(']');
            return end < 0 ? a : a.substring(0, end + 1);
        }
        int colon = a.indexOf(':');
        return colon < 0 ? a : a.substring(0, colon);
    }

    private static boolean isLoopbackName(String host) {
        return host.equals("localhost") || host.endsWith(".localhost") || host.equals("[::1]")
                || host.matches("127(\\.\\d{1,3}){3}");
    }

    private static String printable(String value) {
        return io.leadflow.platform.logging.Masking.printable(value);
    }

    /** The start-up line: which endpoints are protected and how they answer. Never contains the token. */
    public String describe(String service) {
        Set<String> all = new LinkedHashSet<>(properties.protectedPaths());
        all.addAll(properties.alwaysProtectedPaths());
        List<String> except = properties.openPaths().stream().filter(open -> properties.protectedPaths().stream()
                .map(p -> p.endsWith("/**") ? p.substring(0, p.length() - 3) : p).anyMatch(open::startsWith)).toList();
        String what = service + "'s admin endpoints " + all + (except.isEmpty() ? "" : " except " + except);
        return switch (mode()) {
            case TOKEN -> what + " are token-protected (Authorization: Bearer <LEADFLOW_ADMIN_TOKEN>); listening on " + listensOn;
            case OPEN_ON_LOOPBACK -> what + " are OPEN without a token: listening on loopback only (" + listensOn
                    + ") and LEADFLOW_ADMIN_TOKEN is not set"
                    + (properties.alwaysProtectedPaths().isEmpty() ? ""
                    : "; " + properties.alwaysProtectedPaths() + " are refused until LEADFLOW_ADMIN_TOKEN is set");
            case REFUSED -> what + " are REFUSED (401): listening on " + listensOn + " and LEADFLOW_ADMIN_TOKEN is not set";
        };
    }

    private static List<PathContainer> paths(HttpServletRequest request) {
        List<PathContainer> paths = new ArrayList<>(2);
        String servletPath = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (!servletPath.isEmpty()) {
            paths.add(PathContainer.parsePath(UriUtils.encodePath(servletPath, StandardCharsets.UTF_8)));
        }
        String uri = request.getRequestURI();
        if (uri != null) {
            paths.add(RequestPath.parse(uri, request.getContextPath()).pathWithinApplication());
        }
        if (paths.isEmpty()) {
            paths.add(PathContainer.parsePath("/"));
        }
        return paths;
    }

    private static boolean matches(List<PathPattern> patterns, PathContainer path) {
        for (PathPattern pattern : patterns) {
            if (pattern.matches(path)) {
                return true;
            }
        }
        return false;
    }

    private static List<PathPattern> parse(List<String> patterns) {
        return patterns.stream().map(String::trim).filter(p -> !p.isEmpty()).map(PARSER::parse).toList();
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
