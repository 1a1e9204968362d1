package io.leadflow.localstack.system;

import io.leadflow.platform.logging.Masking;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Function;

/**
 * The local stack's admin token ({@code LEADFLOW_ADMIN_TOKEN}, or one made up for this run) and who needs it.
 * trial-tracker's API always does. Every other admin endpoint (routing reads, crm-sync's set-up, the console's
 * API) needs it when the user set a token, or when the stack listens beyond loopback; otherwise those answer
 * the local user without one.
 *
 * @param value              the token
 * @param generated          made up for this run (the user set none)
 * @param requiredEverywhere every service and the console require it, not only trial-tracker
 */
public record AdminToken(String value, boolean generated, boolean requiredEverywhere) {

    public static final String ENV = "LEADFLOW_ADMIN_TOKEN";

    private static final SecureRandom RANDOM = new SecureRandom();

    public static AdminToken decide(Binding binding, Function<String, String> env) {
        String given = env.apply(ENV);
        if (given != null && !given.isBlank()) {
            return new AdminToken(given.trim(), false, true);
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new AdminToken("lf-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), true, !binding.loopbackOnly());
    }

    /** The token the services other than trial-tracker, and the console, require; null when they are open on loopback. */
    public String forEveryService() {
        return requiredEverywhere ? value : null;
    }

    public String masked() {
        return Masking.secret(value);
    }

    @Override
    public String toString() {
        return "AdminToken[" + masked() + ", generated=" + generated + ", requiredEverywhere=" + requiredEverywhere + "]";
    }
}
