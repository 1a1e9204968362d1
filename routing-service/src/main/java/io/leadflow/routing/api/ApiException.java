package io.leadflow.routing.api;

import org.springframework.http.HttpStatus;

/** An answer other than 200, with the field it is about (null when none). */
class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String field;

    ApiException(HttpStatus status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
    }

    static ApiException invalid(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, field, message);
    }

    HttpStatus status() {
        return status;
    }

    String field() {
        return field;
    }
}
