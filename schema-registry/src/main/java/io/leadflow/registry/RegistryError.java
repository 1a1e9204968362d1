package io.leadflow.registry;

import io.leadflow.schemas.registry.SchemaRegistryException;

/**
 * An error answered in Confluent's shape, {@code {"error_code":40401,"message":"..."}}, with the HTTP
 * status Confluent uses for that code.
 */
final class RegistryError extends RuntimeException {

    static final int SUBJECT_SOFT_DELETED = 40404;
    static final int SUBJECT_NOT_SOFT_DELETED = 40405;
    static final int VERSION_SOFT_DELETED = 40406;
    static final int VERSION_NOT_SOFT_DELETED = 40407;
    static final int SUBJECT_CONFIG_NOT_FOUND = 40408;
    static final int OPERATION_TIMEOUT = 50002;

    private final int status;
    private final int errorCode;

    RegistryError(int status, int errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    RegistryError(int status, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    int status() {
        return status;
    }

    int errorCode() {
        return errorCode;
    }

    static RegistryError subjectNotFound(String subject) {
        return new RegistryError(404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
    }

    static RegistryError versionNotFound(int version) {
        return new RegistryError(404, SchemaRegistryException.VERSION_NOT_FOUND, "Version " + version + " not found.");
    }

    static RegistryError schemaNotFound(String what) {
        return new RegistryError(404, SchemaRegistryException.SCHEMA_NOT_FOUND, what);
    }

    static RegistryError invalidSchema(String message) {
        return new RegistryError(422, SchemaRegistryException.INVALID_SCHEMA, message);
    }

    static RegistryError invalidVersion(String version) {
        return new RegistryError(422, SchemaRegistryException.INVALID_VERSION, "The specified version '" + version
                + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    static RegistryError invalidCompatibilityLevel(String given) {
        return new RegistryError(422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL, "Invalid compatibility level '" + given
                + "'. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive");
    }

    /**
     * 409 with error_code 40901, as Confluent Schema Registry answers since 8.2 (409 before), and the
     * incompatibilities listed after {@code details:}.
     */
    static RegistryError incompatible(String subject, java.util.List<String> details) {
        return new RegistryError(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                "Schema being registered is incompatible with an earlier schema for subject \"" + subject + "\", details: " + details);
    }

    static RegistryError invalidSubject(String subject) {
        return new RegistryError(422, SchemaRegistryException.INVALID_SUBJECT, "The subject '" + subject
                + "' is not valid: a subject may not contain control characters nor be __GLOBAL or __EMPTY");
    }

    static RegistryError storeError(String message, Throwable cause) {
        return new RegistryError(500, SchemaRegistryException.STORE_ERROR, message, cause);
    }

    static RegistryError timeout(String message) {
        return new RegistryError(500, OPERATION_TIMEOUT, message);
    }
}
