package io.leadflow.crm.sync;

import io.leadflow.avro.LeadRouted;
import io.leadflow.crm.TestLeads;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Draft mode (no SMTP configured): the introduction email becomes the owner's EMAIL task, once per lead. */
class IntroDraftTests extends BatchSyncTests {

    @Test
    void theIntroductionIsAnEmailTaskForTheOwnerWithTheFullTextOnTheContact() {
        LeadRouted lead = TestLeads.withIntro(TestLeads.routed(run, 0));

        sync.sync(List.of(lead));

        JsonNode task = introTask(lead);
        JsonNode props = task.path("properties");
        assertThat(props.path("hs_task_type").asString()).isEqualTo("EMAIL");
        assertThat(props.path("hubspot_owner_id").asString()).isEqualTo("77001");
        assertThat(props.path("hs_task_subject").asString()).isEqualTo("Send the introduction email to Company 0");
        assertThat(props.path("hs_task_body").asString())
                .contains("To: " + lead.getLead().getContact().getEmail())
                .contains("Subject: Hi from Simon at Leadflow")
                .contains("&gt; We would like to &lt;evaluate&gt; PostHog &amp; talk pricing.")
                .doesNotContain("<evaluate>");
        String contactId = hubspot.contactId(lead.getLead().getContact().getEmail());
        assertThat(hubspot.sandbox().associated("contacts", contactId, "tasks"))
                .extracting(t -> t.path("id").asString()).contains(task.path("id").asString());
    }

    @Test
    void aReplayMakesNoSecondTaskEvenAfterARestartForgotWhatWasSynced() {
        LeadRouted lead = TestLeads.withIntro(TestLeads.routed(run, 1));
        sync.sync(List.of(lead));

        sync.sync(List.of(lead));
        new LeadSync(crm, properties, clock).sync(List.of(lead));

        assertThat(hubspot.sandbox().objectsWith("tasks", "leadflow_key", IntroDraft.key(lead.getLeadId()))).hasSize(1);
    }

    @Test
    void aLeadWithoutAnIntroductionOrRefusedByTheGateGetsNoDraft() {
        LeadRouted none = TestLeads.routed(run, 2);
        LeadRouted refused = TestLeads.withIntro(TestLeads.routed(run, 3));

        sync.sync(List.of(none));
        new LeadSync(crm, properties, clock, new SyncLedger(null), lead -> false).sync(List.of(refused));

        assertThat(hubspot.sandbox().objectsWith("tasks", "leadflow_key", IntroDraft.key(none.getLeadId()))).isEmpty();
        assertThat(hubspot.sandbox().objectsWith("tasks", "leadflow_key", IntroDraft.key(refused.getLeadId()))).isEmpty();
        assertThat(hubspot.deal(refused.getLeadId())).as("the rest of the lead is synced").isNotNull();
    }

    private JsonNode introTask(LeadRouted lead) {
        List<? extends JsonNode> tasks = hubspot.sandbox().objectsWith("tasks", "leadflow_key", IntroDraft.key(lead.getLeadId()));
        assertThat(tasks).hasSize(1);
        return tasks.get(0);
    }
}
