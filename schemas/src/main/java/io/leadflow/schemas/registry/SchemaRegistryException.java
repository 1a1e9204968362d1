package io.leadflow.schemas.registry;

/**
 * An error answered by a schema registry, with Confluent's HTTP status and {@code error_code}
 * (40401 subject not found, 40402 version not found, 40403 schema not found, 40901 incompatible
 * (409 before Confluent 8.2), 42201 invalid schema, 42208 invalid subject, 50001-50003 server errors),
 * or a transport failure (status 0).
 */
public class SchemaRegistryException extends RuntimeException {

    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    /** What Confluent Schema Registry answers for an incompatible schema since 8.2 (and our registry). */
    public static final int INCOMPATIBLE_SCHEMA = 40901;
    /** What Confluent Schema Registry answered for an incompatible schema before 8.2. */
    public static final int INCOMPATIBLE = 409;
    public static final int INVALID_SCHEMA = 42201;
    public static final int INVALID_VERSION = 42202;
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    public static final int INVALID_SUBJECT = 42208;
    public static final int STORE_ERROR = 50001;

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(int status, int errorCode, String message) {
        super(message + " (status " + status + ", error_code " + errorCode + ")");
        this.status = status;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.errorCode = 0;
    }

    public int status() {
        return status;
    }

    public int errorCode() {
        return errorCode;
    }

    /** A registration refused as incompatible with the subject's earlier versions, by any Confluent release or ours. */
    public boolean isIncompatible() {
        return status == 409 && (errorCode == INCOMPATIBLE_SCHEMA || errorCode == INCOMPATIBLE);
    }

    public boolean isRetryable() {
        return status == 0 || status >= 500 || status == 429;
    }
}
