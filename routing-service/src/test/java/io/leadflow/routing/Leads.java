package io.leadflow.routing;

import io.leadflow.avro.Contact;
import io.leadflow.avro.Demo;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadSource;
import io.leadflow.avro.Need;
import io.leadflow.avro.PlanInterest;
import io.leadflow.avro.Region;
import io.leadflow.schemas.LeadIds;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Leads for tests: a plain, low-volume, non-technical website lead unless told otherwise. */
public final class Leads {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final LeadReceived.Builder lead;
    private final Contact.Builder contact;
    private final List<Need> needs = new ArrayList<>();

    private Leads(String submissionId) {
        contact = Contact.newBuilder()
                .setEmail("jane.doe@acme-" + submissionId + ".com")
                .setFirstName("Jane")
                .setLastName("Doe")
                .setCompanyName("Acme " + submissionId)
                .setCompanyDomain("acme-" + submissionId + ".com")
                .setCountry("GB")
                .setRegion(Region.OTHER);
        lead = LeadReceived.newBuilder()
                .setLeadId(LeadIds.leadId("WEBSITE_FORM", submissionId))
                .setSource(LeadSource.WEBSITE_FORM)
                .setSourceEventId(submissionId)
                .setReceivedAt(Instant.parse("2026-01-05T09:00:00Z"))
                .setPlanInterest(PlanInterest.UNKNOWN)
                .setMonthlyEvents(2_000_000L)
                .setTechnical(false);
    }

    public static Leads lead() {
        return new Leads("sub-" + SEQUENCE.incrementAndGet());
    }

    public Leads id(String submissionId) {
        lead.setLeadId(LeadIds.leadId("WEBSITE_FORM", submissionId)).setSourceEventId(submissionId);
        return this;
    }

    public Leads interest(PlanInterest interest) {
        lead.setPlanInterest(interest);
        return this;
    }

    public Leads events(Long events) {
        lead.setMonthlyEvents(events);
        return this;
    }

    public Leads users(Long users) {
        lead.setMonthlyActiveUsers(users);
        return this;
    }

    public Leads needs(Need... wanted) {
        needs.addAll(List.of(wanted));
        return this;
    }

    public Leads technical(Boolean technical) {
        lead.setTechnical(technical);
        return this;
    }

    public Leads title(String title) {
        contact.setTitle(title);
        return this;
    }

    public Leads us() {
        contact.setCountry("US").setRegion(Region.US);
        return this;
    }

    public Leads eu() {
        contact.setCountry("DE").setRegion(Region.EU);
        return this;
    }

    public Leads yc() {
        lead.setYCombinator(true);
        return this;
    }

    public Leads groupDemo() {
        lead.setGroupDemo(true);
        return this;
    }

    public Leads domain(String domain) {
        contact.setCompanyDomain(domain).setEmail("someone@" + domain).setCompanyName(null);
        return this;
    }

    public Leads receivedAt(Instant receivedAt) {
        lead.setReceivedAt(receivedAt);
        return this;
    }

    public Leads message(String message) {
        lead.setMessage(message);
        return this;
    }

    public Leads demoAt(String startsAt, String bookingUrl) {
        lead.setSource(LeadSource.DEMO_BOOKING)
                .setDemo(Demo.newBuilder().setStartsAt(Instant.parse(startsAt)).setBookingUrl(bookingUrl).setProvider("calendly").build());
        return this;
    }

    public LeadReceived build() {
        return lead.setContact(contact.build()).setNeeds(List.copyOf(needs)).build();
    }
}
