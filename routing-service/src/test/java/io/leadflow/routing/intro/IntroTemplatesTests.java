package io.leadflow.routing.intro;

import io.leadflow.avro.Pipeline;
import io.leadflow.avro.Plan;
import io.leadflow.routing.rules.InvalidFileException.Problem;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class IntroTemplatesTests {

    private static final String VALID = """
            anonymous: there
            question: "You asked:\\n{quoted}"
            booking: "Book here: {bookingUrl}"
            noBooking: "Reply with a time."
            templates:
              - id: enterprise
                when: { pipeline: HANDS_ON, plan: ENTERPRISE }
                subject: "Enterprise {company}"
                body: "Hi {firstName}"
              - id: hands-on
                when: { pipeline: HANDS_ON }
                subject: "Hands-on {company}"
                body: "Hi {firstName}"
              - id: default
                subject: "Hello {company}"
                body: "Hi {firstName}, {question} {booking}"
            """;

    @Test
    void theHandbooksTemplatesLoadWithADefaultLast() {
        IntroTemplates templates = IntroTemplates.loadDefault();

        assertThat(templates.ids()).containsExactly("hands-on-enterprise", "hands-on", "self-serve", "default");
        assertThat(templates.choose(Pipeline.HANDS_ON, Plan.ENTERPRISE).id()).isEqualTo("hands-on-enterprise");
        assertThat(templates.choose(Pipeline.HANDS_ON, Plan.SCALE).id()).isEqualTo("hands-on");
        assertThat(templates.choose(Pipeline.SELF_SERVE, Plan.CLOUD).id()).isEqualTo("self-serve");
        assertThat(templates.choose(Pipeline.UNKNOWN, Plan.CLOUD).id()).isEqualTo("default");
    }

    @Test
    void theFirstTemplateWhosePipelineAndPlanMatchWins() {
        IntroTemplates templates = IntroTemplates.parse(VALID, "test.yml");

        assertThat(templates.choose(Pipeline.HANDS_ON, Plan.ENTERPRISE).id()).isEqualTo("enterprise");
        assertThat(templates.choose(Pipeline.HANDS_ON, Plan.CLOUD).id()).isEqualTo("hands-on");
        assertThat(templates.choose(Pipeline.SELF_SERVE, Plan.ENTERPRISE).id()).isEqualTo("default");
    }

    @Test
    void everyProblemIsReportedWithItsLineAndField() {
        String broken = VALID
                .replace("body: \"Hi {firstName}\"\n  - id: hands-on", "body: \"Hi {lastName}\"\n  - id: hands-on")
                .replace("subject: \"Hands-on {company}\"", "subject: \"Hands-on {question}\"")
                .replace("when: { pipeline: HANDS_ON }", "when: { pipeline: HANDSON }")
                .replace("booking: \"Book here: {bookingUrl}\"", "booking: \"Book here\"");

        InvalidIntroTemplatesException e = catchThrowableOfType(InvalidIntroTemplatesException.class,
                () -> IntroTemplates.parse(broken, "broken.yml"));

        assertThat(e.problems()).extracting(Problem::line, Problem::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple(3, "booking"),
                org.assertj.core.groups.Tuple.tuple(9, "templates[0].body"),
                org.assertj.core.groups.Tuple.tuple(11, "templates[1].when.pipeline"),
                org.assertj.core.groups.Tuple.tuple(12, "templates[1].subject"));
        assertThat(e.getMessage()).startsWith("Invalid introduction email templates in broken.yml (4 problems)")
                .contains("line 9: templates[0].body: unknown placeholder {lastName}")
                .contains("line 11: templates[1].when.pipeline: must be one of SELF_SERVE, HANDS_ON, was 'HANDSON'")
                .contains("line 12: templates[1].subject: unknown placeholder {question}; allowed here: {company}, {firstName}, {ownerName}");
    }

    @Test
    void theLastTemplateIsTheDefaultAndOnlyItGoesWithoutWhen() {
        String noDefault = VALID.replace("  - id: default\n", "  - id: default\n    when: { plan: CLOUD }\n");
        String defaultFirst = VALID.replace("    when: { pipeline: HANDS_ON }\n", "");

        assertThat(catchThrowableOfType(InvalidIntroTemplatesException.class, () -> IntroTemplates.parse(noDefault, "t.yml")).problems())
                .extracting(Problem::path, Problem::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("templates[2].when",
                        "the last template is the default for every lead: leave out when:"));
        assertThat(catchThrowableOfType(InvalidIntroTemplatesException.class, () -> IntroTemplates.parse(defaultFirst, "t.yml")).problems())
                .extracting(Problem::line, Problem::path).containsExactly(org.assertj.core.groups.Tuple.tuple(10, "templates[1]"));
    }

    @Test
    void aSubjectIsOneLineAndUnknownFieldsAreNamed() {
        String broken = VALID.replace("subject: \"Hello {company}\"", "subject: \"Hello\\nBcc: someone@example.com\"")
                .replace("anonymous: there", "anonymous: there\nsignature: Cheers");

        assertThat(catchThrowableOfType(InvalidIntroTemplatesException.class, () -> IntroTemplates.parse(broken, "t.yml")).problems())
                .extracting(Problem::line, Problem::path, Problem::message).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2, "signature", "unknown field; expected one of anonymous, booking, noBooking, question, templates"),
                        org.assertj.core.groups.Tuple.tuple(16, "templates[2].subject", "must be one line (a subject is a mail header)"));
    }

    @Test
    void aFileThatIsNotYamlSaysWhere() {
        InvalidIntroTemplatesException e = catchThrowableOfType(InvalidIntroTemplatesException.class,
                () -> IntroTemplates.parse("templates:\n  - id: [unclosed\n", "t.yml"));

        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0).message()).startsWith("not valid YAML");
        assertThat(e.problems().get(0).line()).isPositive();
    }
}
