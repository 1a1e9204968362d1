package io.leadflow.routing.decide;

import io.leadflow.avro.Pipeline;
import io.leadflow.avro.PlanInterest;
import io.leadflow.routing.rules.RulesLoader;
import io.leadflow.routing.rules.TextPattern;
import org.junit.jupiter.api.Test;

import static io.leadflow.routing.Leads.lead;
import static org.assertj.core.api.Assertions.assertThat;

class TemplateTests {

    private final Words words = new Words(new LeadFacts(lead().interest(PlanInterest.SCALE).events(3_000_000L).build(),
            RulesLoader.loadDefault().plan(), title -> false, TextPattern.none()));

    @Test
    void placeholdersAreFilledFromTheLeadAndTheDecisionSoFar() {
        Template template = Template.parse("{planInterest} interest, {monthlyEvents} events, {pipeline} pipeline, owner {rep}.");

        assertThat(template.fill(words)).isEqualTo("Scale interest, 3,000,000 events, unknown pipeline, owner the owner.");
        words.pipeline(Pipeline.HANDS_ON);
        words.owner("Simon", "cs");
        assertThat(template.fill(words)).isEqualTo("Scale interest, 3,000,000 events, Hands-on pipeline, owner Simon.");
    }

    @Test
    void textThatIsNoPlaceholderStaysAsWritten() {
        assertThat(Template.parse("{owner} costs $5 \\ {{rep}} {rep {} {monthly-events}").fill(words))
                .isEqualTo("{owner} costs $5 \\ {the owner} {rep {} {monthly-events}");
        assertThat(Template.parse("").fill(words)).isEmpty();
        assertThat(Template.parse("{rep}").fill(words)).isEqualTo("the owner");
    }
}
