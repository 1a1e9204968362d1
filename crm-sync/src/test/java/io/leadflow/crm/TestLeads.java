package io.leadflow.crm;

import io.leadflow.avro.Contact;
import io.leadflow.avro.Demo;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.LeadSource;
import io.leadflow.avro.LeadTask;
import io.leadflow.avro.Owner;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.Plan;
import io.leadflow.avro.PlanInterest;
import io.leadflow.avro.Region;
import io.leadflow.avro.RoutingFlag;
import io.leadflow.avro.RoutingReason;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Routed leads as routing-service writes them. */
public final class TestLeads {

    private TestLeads() {
    }

    /** Lead {@code i} of a run: its own email and company domain {@code co<i>-<run>.example}. */
    public static LeadRouted routed(String run, int i) {
        return routed(run, i, "jane" + i + "@co" + i + "-" + run + ".example", "co" + i + "-" + run + ".example",
                i % 2 == 0 ? Pipeline.SELF_SERVE : Pipeline.HANDS_ON);
    }

    /** The same lead as a demo booking: received at {@code receivedAt}, for a demo starting at {@code startsAt}. */
    public static LeadRouted demoBooking(LeadRouted lead, Instant receivedAt, Instant startsAt) {
        LeadReceived booking = LeadReceived.newBuilder(lead.getLead())
                .setSource(LeadSource.DEMO_BOOKING)
                .setReceivedAt(receivedAt)
                .setMessage("Booked a demo: we want to see session replay.")
                .setDemo(Demo.newBuilder().setStartsAt(startsAt).setEndsAt(startsAt.plusSeconds(1800))
                        .setBookingUrl("https://calendly.com/leadflow/demo/" + lead.getLeadId()).setProvider("calendly").build())
                .build();
        List<LeadTask> tasks = new ArrayList<>(lead.getTasks() == null ? List.of() : lead.getTasks());
        tasks.add(task("demo", "Demo call with " + lead.getLead().getContact().getCompanyName(), "Jane booked a demo for "
                + startsAt + ".\nBooking: " + booking.getDemo().getBookingUrl(), "CALL", "HIGH", "demoStart"));
        return LeadRouted.newBuilder(lead).setLead(booking).setRoutedAt(receivedAt.plusSeconds(1)).setTasks(tasks).build();
    }

    /** The same lead with the introduction email routing writes for it, from its owner to its address. */
    public static LeadRouted withIntro(LeadRouted lead) {
        var contact = lead.getLead().getContact();
        return LeadRouted.newBuilder(lead).setIntroEmail(io.leadflow.avro.IntroEmail.newBuilder()
                .setTo(contact.getEmail()).setFromName(lead.getOwner().getName()).setFromEmail(lead.getOwner().getEmail())
                .setSubject("Hi from " + lead.getOwner().getName() + " at Leadflow")
                .setBody("Hi Jane,\n\nYou asked:\n\n> We would like to <evaluate> PostHog & talk pricing.\n\nCheers,\n"
                        + lead.getOwner().getName() + "\n")
                .setTemplateId("self-serve").build()).build();
    }

    /** The same lead as routing wrote it before decisions carried their tasks. */
    public static LeadRouted withoutTasks(LeadRouted lead) {
        return LeadRouted.newBuilder(lead).setTasks(null).build();
    }

    /** The same lead, received at another time. */
    public static LeadRouted receivedAt(LeadRouted lead, Instant receivedAt) {
        return LeadRouted.newBuilder(lead).setLead(LeadReceived.newBuilder(lead.getLead()).setReceivedAt(receivedAt).build())
                .setRoutedAt(receivedAt.plusSeconds(1)).build();
    }

    public static LeadRouted routed(String run, int i, String email, String domain, Pipeline pipeline) {
        String leadId = java.util.UUID.nameUUIDFromBytes(("test:" + run + ":" + i).getBytes()).toString();
        Instant received = Instant.parse("2026-01-05T14:00:00Z");
        LeadReceived lead = LeadReceived.newBuilder()
                .setLeadId(leadId)
                .setSource(LeadSource.WEBSITE_FORM)
                .setSourceEventId("sub-" + run + "-" + i)
                .setReceivedAt(received)
                .setContact(Contact.newBuilder().setEmail(email).setFirstName("Jane").setLastName("Doe " + i)
                        .setTitle("CTO").setCompanyName(domain == null ? null : "Company " + i).setCompanyDomain(domain)
                        .setCountry("US").setRegion(Region.US).build())
                .setPlanInterest(pipeline == Pipeline.HANDS_ON ? PlanInterest.ENTERPRISE : PlanInterest.CLOUD)
                .setMonthlyEvents(pipeline == Pipeline.HANDS_ON ? 60_000_000L : 2_000_000L)
                .setMessage("We would like to <evaluate> PostHog & talk pricing.")
                .setUtm(Map.of())
                .build();
        return LeadRouted.newBuilder()
                .setLeadId(leadId)
                .setRoutedAt(received.plusSeconds(1))
                .setLead(lead)
                .setPipeline(pipeline)
                .setRecommendedPlan(pipeline == Pipeline.HANDS_ON ? Plan.ENTERPRISE : Plan.CLOUD)
                .setOwner(Owner.newBuilder().setRepId("simon").setName("Simon").setEmail("simon@leadflow.example")
                        .setSlackUserId("U02QULW4MDZ").setHubspotOwnerId("77001").build())
                .setReasons(List.of(RoutingReason.newBuilder().setRule("hands-on-volume").setField("monthlyEvents")
                        .setValue("60000000").setExplanation("Expects more than 50 million events a month.").build()))
                .setFlags(List.of(RoutingFlag.newBuilder().setCode("MSA_REQUESTED")
                        .setExplanation("Wants an MSA: only above $10k a month.").build()))
                .setNextSteps(List.of("Book the kick-off call"))
                .setTasks(tasks(pipeline, domain == null ? email.substring(email.indexOf('@') + 1) : "Company " + i))
                .setRulesVersion("test")
                .build();
    }

    /** The tasks routing's rules give each pipeline, worded here only as test data. */
    private static List<LeadTask> tasks(Pipeline pipeline, String company) {
        if (pipeline == Pipeline.HANDS_ON) {
            return List.of(task("slack-connect", "Set up shared Slack Connect channel with " + company, "Set up the channel.", "TODO", "HIGH", "P1D"),
                    task("kick-off", "Schedule kick-off call with " + company, "Schedule the call.", "CALL", "HIGH", "P2D"));
        }
        return List.of(task("follow-up", "Send follow-up email to " + company, "Send the email.", "EMAIL", "MEDIUM", "P1D"));
    }

    private static LeadTask task(String id, String subject, String body, String type, String priority, String due) {
        return LeadTask.newBuilder().setId(id).setSubject(subject).setBody(body).setType(type).setPriority(priority).setDue(due).build();
    }
}
