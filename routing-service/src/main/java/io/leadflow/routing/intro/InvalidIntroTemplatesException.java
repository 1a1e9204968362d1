package io.leadflow.routing.intro;

import io.leadflow.routing.rules.InvalidFileException;

import java.util.List;

/** An introduction templates file that cannot be used; the message names the file and, per problem, the line and field. */
public class InvalidIntroTemplatesException extends InvalidFileException {

    public InvalidIntroTemplatesException(String source, List<Problem> problems) {
        super("introduction email templates", source, problems);
    }
}
