package io.leadflow.trials.api;

import org.springframework.http.HttpStatus;

/** A request the API refuses, answered as {@code application/problem+json} naming the field. */
final class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final String field;

    ApiProblem(HttpStatus status, String field, String detail) {
        super(detail);
        this.status = status;
        this.field = field;
    }

    static ApiProblem invalid(String field, String detail) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, field, detail);
    }

    HttpStatus status() {
        return status;
    }

    String field() {
        return field;
    }
}
