package io.leadflow.routing.rules;

import java.util.List;

/** A rules file that cannot be used; the message names the file and, per problem, the line. */
public class InvalidRulesException extends InvalidFileException {

    public InvalidRulesException(String source, List<Problem> problems) {
        super("routing rules", source, problems);
    }
}
