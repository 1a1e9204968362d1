package io.leadflow.platform.web;

import jakarta.validation.ConstraintViolationException;
import org.springframework.web.method.HandlerMethod;

import java.util.List;
import java.util.Map;

/**
 * Bean validation of a {@code @Validated} controller's parameters ({@code @Min}, {@code @Max} on a path variable or
 * query parameter): 400, naming each parameter as {@link ProblemAdvice#invalid} does for a body.
 */
final class ConstraintViolationProblems implements ProblemMapping {

    @Override
    public HttpProblem problem(Exception exception, HandlerMethod handler) {
        if (!(exception instanceof ConstraintViolationException e)) {
            return null;
        }
        List<Map<String, String>> errors = e.getConstraintViolations().stream()
                .map(v -> Map.of("field", last(v.getPropertyPath().toString()), "message", v.getMessage())).toList();
        return ProblemAdvice.invalid(errors);
    }

    private static String last(String propertyPath) {
        int dot = propertyPath.lastIndexOf('.');
        return dot < 0 ? propertyPath : propertyPath.substring(dot + 1);
    }
}
