package io.leadflow.routing.intro;

import io.leadflow.routing.rules.InvalidRulesException.Problem;

import java.util.List;

/** An introduction templates file that cannot be used; the message names the file and, per problem, the line and field. */
public class InvalidIntroTemplatesException extends RuntimeException {

    private final String source;
    private final List<Problem> problems;

    public InvalidIntroTemplatesException(String source, List<Problem> problems) {
        super(message(source, problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    public String source() {
        return source;
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String message(String source, List<Problem> problems) {
        StringBuilder sb = new StringBuilder("Invalid introduction email templates in ").append(source).append(" (")
                .append(problems.size()).append(problems.size() == 1 ? " problem)" : " problems)");
        problems.forEach(p -> sb.append(System.lineSeparator()).append("  ").append(p));
        return sb.toString();
    }
}
