package io.leadflow.routing.rules;

import java.util.List;

/**
 * A file the service reads (routing rules, introduction email templates) that cannot be used, with each problem and its
 * line; the message names what the file holds, the file and, per problem, the line and field.
 */
public abstract class InvalidFileException extends RuntimeException {

    private final String source;
    private final List<Problem> problems;

    /** @param what what the file holds, as the message names it ("routing rules") */
    protected InvalidFileException(String what, String source, List<Problem> problems) {
        super(message(what, source, problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    public String source() {
        return source;
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String message(String what, String source, List<Problem> problems) {
        StringBuilder sb = new StringBuilder("Invalid ").append(what).append(" in ").append(source).append(" (")
                .append(problems.size()).append(problems.size() == 1 ? " problem)" : " problems)");
        problems.forEach(p -> sb.append(System.lineSeparator()).append("  ").append(p));
        return sb.toString();
    }

    /** One problem; {@code line} is 1-based, 0 when the file has no line for it. */
    public record Problem(int line, String path, String message) {

        @Override
        public String toString() {
            return (line > 0 ? "line " + line + ": " : "") + (path == null || path.isEmpty() ? "" : path + ": ") + message;
        }
    }
}
