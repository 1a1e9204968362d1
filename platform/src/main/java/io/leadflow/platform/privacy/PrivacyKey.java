package io.leadflow.platform.privacy;

import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The privacy part of a service's settings ({@code leadflow.<service>.privacy.key}, fed by {@code LEADFLOW_PRIVACY_KEY}):
 * the secret every service names a person by (see {@link Subjects}). The same in every service; empty where it is not
 * set, each service then says what it cannot do without it.
 *
 * @param key at least 32 characters, or empty
 */
public record PrivacyKey(@Pattern(regexp = "^$|^.{32,}$", message = "must be at least 32 characters (LEADFLOW_PRIVACY_KEY)")
                         @DefaultValue("") String key) {

    public boolean configured() {
        return key != null && !key.isBlank();
    }

    /** The subjects under this key; null when no key is set. */
    public Subjects subjects() {
        return configured() ? new Subjects(key) : null;
    }

    @Override
    public String toString() {
        return "PrivacyKey[key=" + (configured() ? "***" : "<unset>") + "]";
    }
}
