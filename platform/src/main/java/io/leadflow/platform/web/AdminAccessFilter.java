package io.leadflow.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Refuses calls to admin endpoints that {@link AdminAccess} does not let through: 401
 * {@code application/problem+json} naming the {@code Authorization} field, with {@code WWW-Authenticate: Bearer}.
 */
final class AdminAccessFilter extends OncePerRequestFilter {

    static final String CHALLENGE = "Bearer realm=\"leadflow\"";

    private final AdminAccess access;

    AdminAccessFilter(AdminAccess access) {
        this.access = access;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> refusal = access.refusal(request);
        if (refusal.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpStatus.UNAUTHORIZED.value());
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.setContentType(Problems.CONTENT_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(Problems.body(401, refusal.get(), HttpHeaders.AUTHORIZATION, request.getRequestURI()));
    }
}
