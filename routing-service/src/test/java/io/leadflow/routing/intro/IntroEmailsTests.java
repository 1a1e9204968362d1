package io.leadflow.routing.intro;

import io.leadflow.avro.Contact;
import io.leadflow.avro.Demo;
import io.leadflow.avro.IntroEmail;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.LeadSource;
import io.leadflow.avro.Owner;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.Plan;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Random;

import static io.leadflow.routing.Leads.lead;
import static org.assertj.core.api.Assertions.assertThat;

class IntroEmailsTests {

    private static final IntroEmails INTROS = new IntroEmails(IntroTemplates.loadDefault());
    private static final Owner CAMERON = Owner.newBuilder().setRepId("cameron").setName("Cameron").setEmail("cameron@example.com")
            .setBookingUrl("https://calendly.com/leadflow-cameron/30min").build();

    @Test
    void aFormLeadGetsAnIntroductionFromItsOwnerToTheAddressItGave() {
        LeadReceived lead = lead().message("Do you support SSO?").build();

        IntroEmail email = INTROS.render(decision(lead, Pipeline.SELF_SERVE, Plan.CLOUD, CAMERON));

        assertThat(email.getTo()).isEqualTo(lead.getContact().getEmail());
        assertThat(email.getFromName()).isEqualTo("Cameron");
        assertThat(email.getFromEmail()).isEqualTo("cameron@example.com");
        assertThat(email.getTemplateId()).isEqualTo("self-serve");
        assertThat(email.getSubject()).isEqualTo("Hi from Cameron at Leadflow");
        assertThat(email.getBody())
                .startsWith("Hi Jane,\n\nI'm Cameron from Leadflow. Thanks for reaching out about " + lead.getContact().getCompanyName() + "!")
                .contains("You asked:\n\n> Do you support SSO?\n\n")
                .contains("grab whatever time suits you here: https://calendly.com/leadflow-cameron/30min")
                .endsWith("Cheers,\nCameron\n");
    }

    @Test
    void theTemplateFollowsPipelineAndPlanAndAnOwnerWithoutABookingPageAsksForTimes() {
        LeadReceived lead = lead().build();
        Owner noPage = Owner.newBuilder(CAMERON).setBookingUrl(null).build();

        IntroEmail email = INTROS.render(decision(lead, Pipeline.HANDS_ON, Plan.ENTERPRISE, noPage));

        assertThat(email.getTemplateId()).isEqualTo("hands-on-enterprise");
        assertThat(email.getSubject()).isEqualTo(lead.getContact().getCompanyName() + " and Leadflow: an introduction from Cameron");
        assertThat(email.getBody()).doesNotContain("You asked").doesNotContain("{")
                .contains("reply with a couple of times that suit you and I'll send an invite")
                .doesNotContain("\n\n\n");
    }

    @Test
    void aBookingOrABookedDemoOrNoAddressGetsNone() {
        LeadReceived booking = LeadReceived.newBuilder(lead().build()).setSource(LeadSource.DEMO_BOOKING).build();
        LeadReceived withDemo = lead().demoAt("2026-01-06T15:00:00Z", "https://calendly.com/x").build();
        LeadReceived noEmail = withContact(lead().build(), Contact.newBuilder(lead().build().getContact()).setEmail(" ").build());
        LeadReceived twoAddresses = withContact(lead().build(),
                Contact.newBuilder(lead().build().getContact()).setEmail("jane@acme.com, boss@acme.com").build());

        assertThat(INTROS.render(decision(booking, Pipeline.SELF_SERVE, Plan.CLOUD, CAMERON))).isNull();
        assertThat(INTROS.render(decision(withDemo, Pipeline.SELF_SERVE, Plan.CLOUD, CAMERON))).isNull();
        assertThat(INTROS.render(decision(noEmail, Pipeline.SELF_SERVE, Plan.CLOUD, CAMERON))).isNull();
        assertThat(INTROS.render(decision(twoAddresses, Pipeline.SELF_SERVE, Plan.CLOUD, CAMERON))).isNull();
        assertThat(IntroEmails.none().render(decision(lead().build(), Pipeline.SELF_SERVE, Plan.CLOUD, CAMERON))).isNull();
    }

    @Test
    void whatTheLeadWroteIsQuotedLineByLineWithoutControlCharactersAndNeverBecomesAHeader() {
        LeadReceived lead = withContact(lead().message("First line\r\nBcc: all@example.com\u0000\u202E\rthird\u0007 line\n\n").build(),
                Contact.newBuilder(lead().build().getContact()).setFirstName("Jane\r\nBcc: x@example.com")
                        .setCompanyName("Acme\nSubject: free money").build());

        IntroEmail email = INTROS.render(decision(lead, Pipeline.HANDS_ON, Plan.CLOUD, CAMERON));

        assertThat(email.getSubject()).isEqualTo("Acme Subject: free money and Leadflow: an introduction from Cameron");
        assertThat(email.getBody()).startsWith("Hi Jane Bcc: x@example.com,\n")
                .contains("You asked:\n\n> First line\n> Bcc: all@example.com\n> third line\n\n")
                .doesNotContain("\u0000").doesNotContain("\u202E").doesNotContain("\u0007").doesNotContain("\r");
    }

    @Test
    void aLongMessageIsCutAndTheEmailBounded() {
        LeadReceived lead = lead().message("word ".repeat(10_000)).build();

        IntroEmail email = INTROS.render(decision(lead, Pipeline.SELF_SERVE, Plan.CLOUD, CAMERON));

        assertThat(email.getBody().length()).isLessThan(IntroEmails.MAX_QUESTION + 1_500);
        assertThat(email.getBody()).contains("…\n");
    }

    /** Seeded random input: whatever a lead types, the subject is one bounded line and the body has no control character but \n. */
    @Test
    void anyTextStaysInItsPlace() {
        Random random = new Random(20261130L);
        char[] alphabet = "ab \r\n\t\u0000\u001b\u0085\u2028\u2029\u202e\u200f\ufeff>{}@,;:<\"é😀".toCharArray();
        for (int round = 0; round < 500; round++) {
            LeadReceived lead = withContact(lead().message(text(random, alphabet, 3_000)).build(),
                    Contact.newBuilder(lead().build().getContact()).setFirstName(text(random, alphabet, 300))
                            .setCompanyName(text(random, alphabet, 300)).build());

            IntroEmail email = INTROS.render(decision(lead, Pipeline.HANDS_ON, Plan.SCALE, CAMERON));

            assertThat(email.getSubject()).hasSizeLessThanOrEqualTo(IntroEmails.MAX_SUBJECT)
                    .doesNotContain("\r").doesNotContain("\n").doesNotContain("\u2028").doesNotContain("\u0085");
            assertThat(email.getBody().length()).isLessThanOrEqualTo(IntroEmails.MAX_BODY);
            assertThat(email.getBody().chars().filter(c -> c != '\n' && Character.getType(c) == Character.CONTROL)).isEmpty();
            assertThat(email.getBody()).doesNotContain("\u202e").doesNotContain("\u2028").doesNotContain("\r");
            int asked = email.getBody().indexOf("You asked:\n\n");
            assertThat(asked >= 0).isEqualTo(!lead.getMessage().replaceAll("[\\p{Cc}\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\\s\u2028\u2029]", "").isEmpty());
            String quoted = asked < 0 ? "" : email.getBody().substring(asked);
            quoted.lines().skip(2).takeWhile(line -> !line.isEmpty())
                    .forEach(line -> assertThat(line).matches(l -> l.equals(">") || l.startsWith("> "), "quoted"));
        }
    }

    private static String text(Random random, char[] alphabet, int max) {
        StringBuilder sb = new StringBuilder();
        int length = random.nextInt(max);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet[random.nextInt(alphabet.length)]);
        }
        return sb.toString();
    }

    private static LeadReceived withContact(LeadReceived lead, Contact contact) {
        return LeadReceived.newBuilder(lead).setContact(contact).build();
    }

    private static LeadRouted decision(LeadReceived lead, Pipeline pipeline, Plan plan, Owner owner) {
        return LeadRouted.newBuilder()
                .setLeadId(lead.getLeadId())
                .setRoutedAt(Instant.parse("2026-01-05T10:00:00Z"))
                .setLead(lead)
                .setPipeline(pipeline)
                .setRecommendedPlan(plan)
                .setOwner(owner)
                .setRulesVersion("test")
                .build();
    }
}
