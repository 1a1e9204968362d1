package io.leadflow.benchmarks;

import io.leadflow.avro.Contact;
import io.leadflow.avro.Demo;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.LeadSource;
import io.leadflow.avro.Need;
import io.leadflow.avro.Owner;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.Plan;
import io.leadflow.avro.PlanInterest;
import io.leadflow.avro.Region;
import io.leadflow.avro.RoutingReason;
import io.leadflow.schemas.LeadIds;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Leads as lead-intake publishes them, in a realistic mix: most from the US and Europe, every plan
 * interest, volumes spread over five orders of magnitude (some unknown), companies that recur (so
 * account ownership matters) and free-mail addresses without a company. Deterministic per sequence
 * number: the same {@code seq} always gives the same lead. (The local stack's demo {@code SampleLeads} are six
 * named people as webhook bodies, for a person to watch; these are generated records, for volume.)
 */
final class LeadMix {

    private static final String[] COUNTRIES = {
            "US", "US", "US", "US", "US", "US", "US", "DE", "DE", "GB", "GB", "FR", "NL", "CA", "CA", "IN", "IN",
            "BR", "ES", "SE", "PL", "AU", "JP", "IT", "IE", "SG", "IL", "CH", "MX", "NG"};
    private static final Set<String> EU = Set.of("DE", "FR", "NL", "ES", "SE", "PL", "IT", "IE");
    private static final PlanInterest[] PLANS = {
            PlanInterest.CLOUD, PlanInterest.CLOUD, PlanInterest.CLOUD, PlanInterest.CLOUD, PlanInterest.SCALE,
            PlanInterest.SCALE, PlanInterest.SCALE, PlanInterest.ENTERPRISE, PlanInterest.OPEN_SOURCE, PlanInterest.UNKNOWN};
    private static final String[] TITLES = {
            "CTO", "Software Engineer", "Head of Engineering", "Founder", "Head of Marketing", "Product Manager",
            "Data Scientist", "VP Engineering", "Growth Lead", "DevOps Engineer", null};
    private static final String[] FIRST = {"Jane", "Amir", "Lena", "Kenji", "Priya", "Tom", "Sofia", "Lucas", "Maya", "Noah"};
    private static final String[] LAST = {"Doe", "Haddad", "Schmidt", "Tanaka", "Patel", "Okafor", "Rossi", "Silva", "Cohen", "Berg"};
    private static final String[] FREE_MAIL = {"gmail.com", "outlook.com", "proton.me", "yahoo.com"};
    private static final String[] MESSAGES = {
            "We'd like to try product analytics and session replay for our web app.",
            "Evaluating a self-hosted setup; we need SSO and an MSA for procurement.",
            "Migrating from another tool, around 30 engineers, need project permissions.",
            "Open-source side project, one project, happy with community support.",
            null};

    private LeadMix() {
    }

    static LeadReceived received(long seq, Instant receivedAt) {
        SplittableRandom random = new SplittableRandom(0x1eadf10L ^ (seq * 0x9E3779B97F4A7C15L));
        // A company pool a tenth the size of the load, skewed so some accounts come back often.
        long companies = 10_000 + seq / 10;
        long company = (long) (companies * Math.pow(random.nextDouble(), 2));
        boolean freeMail = random.nextInt(100) < 15;
        String domain = freeMail ? FREE_MAIL[random.nextInt(FREE_MAIL.length)] : "company-" + company + ".example";
        String country = COUNTRIES[random.nextInt(COUNTRIES.length)];
        String first = FIRST[random.nextInt(FIRST.length)];
        String last = LAST[random.nextInt(LAST.length)];
        int sourcePick = random.nextInt(10);
        LeadSource source = sourcePick < 7 ? LeadSource.WEBSITE_FORM : sourcePick < 9 ? LeadSource.DEMO_BOOKING : LeadSource.EMAIL;
        String sourceEventId = "bench-" + seq;
        List<Need> needs = new ArrayList<>();
        for (Need need : Need.values()) {
            if (random.nextInt(100) < 8) {
                needs.add(need);
            }
        }
        Long events = random.nextInt(100) < 25 ? null : (long) Math.pow(10, 4 + random.nextDouble() * 5);
        Long users = random.nextInt(100) < 30 ? null : (long) Math.pow(10, 2 + random.nextDouble() * 4);
        LeadReceived.Builder lead = LeadReceived.newBuilder()
                .setLeadId(LeadIds.leadId(source.name(), sourceEventId))
                .setSource(source)
                .setSourceEventId(sourceEventId)
                .setReceivedAt(receivedAt)
                .setContact(Contact.newBuilder()
                        .setEmail(first.toLowerCase() + "." + last.toLowerCase() + seq + "@" + domain)
                        .setFirstName(first).setLastName(last)
                        .setTitle(TITLES[random.nextInt(TITLES.length)])
                        .setCompanyName(freeMail ? null : "Company " + company)
                        .setCompanyDomain(freeMail ? null : domain)
                        .setCountry(country)
                        .setRegion(country.equals("US") ? Region.US : EU.contains(country) ? Region.EU : Region.OTHER)
                        .build())
                .setPlanInterest(PLANS[random.nextInt(PLANS.length)])
                .setMonthlyActiveUsers(users)
                .setMonthlyEvents(events)
                .setNeeds(needs)
                .setTechnical(random.nextInt(3) == 0 ? null : random.nextBoolean())
                .setYCombinator(random.nextInt(100) < 3)
                .setGroupDemo(source == LeadSource.DEMO_BOOKING && random.nextInt(4) == 0)
                .setMessage(MESSAGES[random.nextInt(MESSAGES.length)])
                .setUtm(random.nextBoolean() ? Map.of("utm_source", "google", "utm_campaign", "brand") : Map.of());
        if (source == LeadSource.DEMO_BOOKING) {
            Instant startsAt = receivedAt.plus(Duration.ofHours(24 + random.nextInt(96)));
            lead.setDemo(Demo.newBuilder().setStartsAt(startsAt).setEndsAt(startsAt.plus(Duration.ofMinutes(30)))
                    .setBookingUrl("https://calendly.com/bench/" + seq).setProvider("calendly").build());
        }
        return lead.build();
    }

    private static final Owner[] OWNERS = {
            Owner.newBuilder().setRepId("cameron").setName("Cameron").setEmail("cameron@example.com")
                    .setSlackUserId("U00CAMERON1").setHubspotOwnerId("100000001").build(),
            Owner.newBuilder().setRepId("simon").setName("Simon").setEmail("simon@example.com")
                    .setSlackUserId("U00SIMON001").setHubspotOwnerId("100000002").build()};

    /** A routed lead as routing-service publishes it, for the services downstream of routing. */
    static LeadRouted routed(long seq, Instant routedAt) {
        LeadReceived lead = received(seq, routedAt.minusMillis(40));
        boolean handsOn = lead.getPlanInterest() == PlanInterest.ENTERPRISE
                || (lead.getMonthlyEvents() != null && lead.getMonthlyEvents() > 50_000_000L);
        Plan plan = switch (lead.getPlanInterest()) {
            case ENTERPRISE -> Plan.ENTERPRISE;
            case SCALE -> Plan.SCALE;
            default -> Plan.CLOUD;
        };
        return LeadRouted.newBuilder()
                .setLeadId(lead.getLeadId())
                .setRoutedAt(routedAt)
                .setLead(lead)
                .setPipeline(handsOn ? Pipeline.HANDS_ON : Pipeline.SELF_SERVE)
                .setRecommendedPlan(plan)
                .setOwner(OWNERS[(int) (seq % OWNERS.length)])
                .setReasons(List.of(RoutingReason.newBuilder().setRule(handsOn ? "enterprise-interest" : "default")
                        .setField("planInterest").setValue(lead.getPlanInterest().name())
                        .setExplanation(handsOn ? "Interested in Enterprise, worked in the hands-on pipeline."
                                : "Standard monthly billing, so self-serve.").build()))
                .setFlags(List.of())
                .setNextSteps(List.of(handsOn ? "Book a scoping call within a day." : "Send the self-serve onboarding email."))
                .setRulesVersion("handbook-2026.1")
                .build();
    }
}
