package io.leadflow.crm.sync;

import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.Demo;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.SyncOutcome;
import io.leadflow.crm.TestLeads;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A booked demo is a task due when it starts. When routing-service re-emits a lead whose demo moved, the deal gets a
 * note saying so and the task moves with it, once, whether the lead opened the deal or was attached to it.
 */
class DemoRescheduleTests extends BatchSyncTests {

    private static final Instant RECEIVED = Instant.parse("2026-01-05T14:00:00Z");
    private static final Instant BOOKED = Instant.parse("2026-01-08T15:00:00Z");
    private static final Instant MOVED = Instant.parse("2026-01-09T10:00:00Z");

    @Test
    void aRescheduledDemoMovesItsTaskAndAddsANoteOnTheDealOnce() {
        // given a demo booking whose deal and demo task are in HubSpot
        LeadRouted booking = TestLeads.demoBooking(TestLeads.routed(run, 1, "ada@analytical-" + run + ".example",
                "analytical-" + run + ".example", Pipeline.SELF_SERVE), RECEIVED, BOOKED);
        String dealId = sync.sync(List.of(booking)).synced().get(booking.getLeadId()).getDealId();
        assertThat(demoTask(dealId).path("properties").path("hs_timestamp").asString()).isEqualTo(BOOKED.toString());
        hubspot.clearCalls();

        // when routing-service re-emits the lead with the demo moved
        CrmSynced synced = sync.sync(List.of(moved(booking))).synced().get(booking.getLeadId());

        // then the deal is the same, a note says when the demo is now, and the demo task is due then
        assertThat(synced.getOutcome()).isEqualTo(SyncOutcome.UPDATED);
        assertThat(synced.getDealId()).isEqualTo(dealId);
        assertThat(hubspot.engagementsOnDeal("notes", dealId)).extracting(n -> n.path("properties").path("hs_note_body").asString())
                .filteredOn(body -> body.contains("Demo rescheduled to 2026-01-09 10:00 UTC")).singleElement()
                .satisfies(body -> assertThat(body).contains("moved the demo booked for 2026-01-08 15:00 UTC"));
        assertThat(demoTask(dealId).path("properties").path("hs_timestamp").asString()).isEqualTo(MOVED.toString());
        List<JsonNode> updates = hubspot.requests("POST", "/crm/v3/objects/tasks/batch/update").stream()
                .flatMap(r -> JSON.readTree(r.request()).path("inputs").valueStream()).toList();
        assertThat(updates).singleElement().satisfies(update -> {
            assertThat(update.path("id").asString()).isEqualTo(demoTask(dealId).path("id").asString());
            assertThat(update.path("properties").path("hs_timestamp").asString()).isEqualTo(MOVED.toString());
        });

        // when the rescheduled lead is consumed again
        Map<String, Integer> before = hubspot.counts();
        hubspot.clearCalls();
        sync.sync(List.of(moved(booking)));

        // then nothing is added or moved
        assertThat(hubspot.counts()).isEqualTo(before);
        assertThat(hubspot.requests("POST", "/crm/v3/objects/tasks/batch/update")).isEmpty();
        assertThat(hubspot.requests("POST", "/crm/v3/objects/notes/batch/create")).isEmpty();
    }

    @Test
    void aRescheduledDemoOfALeadAttachedToAnotherLeadsDealIsNotedOnThatDeal() {
        // given a form lead's deal, and the same person's demo booking attached to it
        String email = "grace@cobol-" + run + ".example";
        LeadRouted form = TestLeads.routed(run, 1, email, "cobol-" + run + ".example", Pipeline.HANDS_ON);
        String dealId = sync.sync(List.of(form)).synced().get(form.getLeadId()).getDealId();
        LeadRouted booking = TestLeads.demoBooking(TestLeads.routed(run, 2, email, "cobol-" + run + ".example", Pipeline.HANDS_ON),
                RECEIVED.plusSeconds(60), BOOKED);
        assertThat(sync.sync(List.of(booking)).synced().get(booking.getLeadId()).getOutcome()).isEqualTo(SyncOutcome.ATTACHED);

        // when the booking is rescheduled
        CrmSynced synced = sync.sync(List.of(moved(booking))).synced().get(booking.getLeadId());

        // then the form's deal holds the note and the moved task
        assertThat(synced.getDealId()).isEqualTo(dealId);
        assertThat(hubspot.engagementsOnDeal("notes", dealId)).extracting(n -> n.path("properties").path("hs_note_body").asString())
                .anySatisfy(body -> assertThat(body).contains("Demo rescheduled to 2026-01-09 10:00 UTC"));
        assertThat(demoTask(dealId).path("properties").path("hs_timestamp").asString()).isEqualTo(MOVED.toString());
        assertThat(hubspot.dealsOfContact(email)).hasSize(1);
    }

    /** The lead as routing-service re-emits it after lead-intake published it with the new demo time. */
    private static LeadRouted moved(LeadRouted booking) {
        Demo demo = Demo.newBuilder(booking.getLead().getDemo()).setStartsAt(MOVED).setEndsAt(MOVED.plusSeconds(1800)).build();
        return LeadRouted.newBuilder(booking).setLead(LeadReceived.newBuilder(booking.getLead()).setDemo(demo).build()).build();
    }

    private JsonNode demoTask(String dealId) {
        return hubspot.engagementsOnDeal("tasks", dealId).stream()
                .filter(t -> t.path("properties").path("hs_task_subject").asString().startsWith("Demo call with"))
                .findFirst().orElseThrow();
    }
}
