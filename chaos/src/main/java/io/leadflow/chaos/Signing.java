package io.leadflow.chaos;

import io.leadflow.localstack.demo.WebhookSecrets;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The secrets of one run, made up at start: every webhook source signed (lead-intake gets the secrets, the load
 * generator signs with them), SendGrid's P-256 key pair, the Slack app's signing secret and the admin token.
 */
record Signing(WebhookSecrets secrets, KeyPair sendGrid, String slackSigningSecret, String adminToken) {

    static Signing random() {
        return new Signing(new WebhookSecrets(hex(), hex(), hex(), hex(), "", hex()), ecKeyPair(), hex(), "lf-" + hex());
    }

    /** lead-intake's environment: one secret per source, as docker-compose.yml names them. */
    Map<String, String> intakeEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(WebhookSecrets.VARIABLES.get("website"), secrets.website());
        env.put(WebhookSecrets.VARIABLES.get("calendly"), secrets.calendly());
        env.put(WebhookSecrets.VARIABLES.get("calcom"), secrets.calcom());
        env.put(WebhookSecrets.VARIABLES.get("mailgun"), secrets.mailgun());
        env.put(WebhookSecrets.VARIABLES.get("hubspot"), secrets.hubspot());
        env.put(WebhookSecrets.VARIABLES.get("sendgrid"), Base64.getEncoder().encodeToString(sendGrid.getPublic().getEncoded()));
        env.put("LEADFLOW_SLACK_SIGNING_SECRET", slackSigningSecret);
        return env;
    }

    /**
     * SendGrid's signature policy, as lead-intake verifies it: base64 ECDSA (SHA-256, P-256) over the timestamp header's
     * value followed by the body.
     */
    String sendGridSignature(String timestamp, byte[] body) {
        try {
            Signature ecdsa = Signature.getInstance("SHA256withECDSA");
            ecdsa.initSign(sendGrid.getPrivate());
            ecdsa.update(timestamp.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ecdsa.update(body);
            return Base64.getEncoder().encodeToString(ecdsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "Signing[made up for this run]";
    }
}
