package io.leadflow.crm;

import io.leadflow.sandbox.RecordedCall;
import io.leadflow.sandbox.hubspot.Faults;
import io.leadflow.sandbox.hubspot.HubSpotSandbox;
import io.leadflow.sandbox.hubspot.HubSpotSandboxServer;
import io.leadflow.sandbox.hubspot.HubSpotSandboxSettings;
import io.leadflow.sandbox.hubspot.HubSpotSandboxSettings.Pipeline;
import io.leadflow.sandbox.hubspot.HubSpotSandboxSettings.Stage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HubSpot every crm-sync test talks to: the hubspot-sandbox on a port of its own, accepting only {@link #TOKEN},
 * with the account crm-sync is configured for (the self-serve pipeline {@code default}, the {@code hands-on} pipeline;
 * crm-sync creates its properties at start-up). Faults come from the sandbox's {@link #faults()}; what tests read back
 * are the sandbox's records and the calls it recorded (whole bodies).
 */
public final class HubSpotPortal {

    public static final String TOKEN = "pat-na1-test-token-0000";
    public static final String PORTAL_ID = "4242";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static HubSpotPortal shared;

    private final HubSpotSandbox sandbox;
    private final HubSpotSandboxServer server;

    private HubSpotPortal() {
        HubSpotSandboxSettings settings = HubSpotSandboxSettings.defaults().withPortalId(PORTAL_ID)
                .withPipelines(List.of(
                        new Pipeline("default", "Self-serve", List.of(new Stage("appointmentscheduled", "New", "0.2", false),
                                new Stage("closedwon", "Won", "1.0", true))),
                        new Pipeline("hands-on", "Hands-on", List.of(new Stage("hands-on-qualified", "Qualified", "0.2", false),
                                new Stage("hands-on-evaluation", "Evaluation", "0.6", false)))))
                .withRecording(5_000, 10_000_000);
        this.sandbox = new HubSpotSandbox(settings, Clock.systemUTC());
        unlimited();
        sandbox.requireToken(TOKEN);
        this.server = HubSpotSandboxServer.start(sandbox);
    }

    /** The JVM-wide portal; the Spring context of the tests points at it. */
    public static synchronized HubSpotPortal shared() {
        if (shared == null) {
            shared = new HubSpotPortal();
            Runtime.getRuntime().addShutdownHook(new Thread(shared.server::close));
        }
        return shared;
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    public HubSpotSandbox sandbox() {
        return sandbox;
    }

    public Faults faults() {
        return sandbox.faults();
    }

    /** No faults, and no rate limit but the one a test sets ({@link HubSpotSandbox#rateLimit}, {@link HubSpotSandbox#searchRateLimit}). */
    public void resetFaults() {
        sandbox.faults().clear();
        unlimited();
    }

    private void unlimited() {
        sandbox.rateLimit(Integer.MAX_VALUE, Duration.ofSeconds(10));
        sandbox.searchRateLimit(Integer.MAX_VALUE);
    }

    // ---- the portal's records --------------------------------------------------------------------------------

    public long companiesWithDomain(String domain) {
        return sandbox.objectsWith("companies", "domain", domain).size();
    }

    /** Contacts with this email (HubSpot keeps one per email). */
    public long contactsWithEmail(String email) {
        return sandbox.objectsWith("contacts", "email", email).size();
    }

    public String contactId(String email) {
        List<ObjectNode> contacts = sandbox.objectsWith("contacts", "email", email);
        return contacts.isEmpty() ? null : contacts.get(0).path("id").asString();
    }

    /** A property of the contact of this email (null when it has none). */
    public String contactProperty(String email, String property) {
        List<ObjectNode> contacts = sandbox.objectsWith("contacts", "email", email);
        return contacts.isEmpty() ? null : contacts.get(0).path("properties").path(property).asString(null);
    }

    /** Every deal associated with the contact of this email (the deals of a person). */
    public List<JsonNode> dealsOfContact(String email) {
        String contactId = contactId(email);
        return contactId == null ? List.of() : List.copyOf(sandbox.associated("contacts", contactId, "deals"));
    }

    /** Notes or tasks associated with a deal, oldest first. */
    public List<JsonNode> engagementsOnDeal(String objectType, String dealId) {
        return List.copyOf(sandbox.associated("deals", dealId, objectType));
    }

    /** The deal crm-sync created for this lead (its {@code leadflow_lead_id}), or null. */
    public ObjectNode deal(String leadId) {
        List<ObjectNode> deals = sandbox.objectsWith("deals", "leadflow_lead_id", leadId);
        return deals.isEmpty() ? null : deals.get(0);
    }

    /** How many of these leads have a deal. */
    public long dealsFor(Collection<String> leadIds) {
        return leadIds.stream().filter(leadId -> deal(leadId) != null).count();
    }

    /** Moves a deal to another stage of its pipeline, as a rep would in HubSpot. */
    public void moveDeal(String dealId, String stage) {
        assertThat(sandbox.updateDeal(dealId, Map.of("dealstage", stage))).as("deal %s moved to %s", dealId, stage).isTrue();
    }

    /** Changes a record's properties, as a rep would in HubSpot. */
    public void update(String objectType, String id, Map<String, String> properties) {
        assertThat(sandbox.update(objectType, id, properties)).as("%s %s updated", objectType, id).isTrue();
    }

    public String seedCompany(String domain, String name) {
        return sandbox.create("companies", Map.of("domain", domain, "name", name));
    }

    /** Live records per type and associations, for "nothing new was created" assertions. */
    public Map<String, Integer> counts() {
        return sandbox.counts();
    }

    // ---- the calls it answered -------------------------------------------------------------------------------

    /** Forgets the calls recorded so far. */
    public void clearCalls() {
        sandbox.clearCalls();
    }

    /** Every call recorded since {@link #clearCalls}, oldest first. */
    public List<RecordedCall> calls() {
        List<RecordedCall> calls = new ArrayList<>(sandbox.calls(Integer.MAX_VALUE));
        Collections.reverse(calls);
        return calls;
    }

    /** The calls to {@code method path} since {@link #clearCalls}, oldest first. */
    public List<RecordedCall> requests(String method, String path) {
        return sandbox.calls(method, path);
    }

    /** The first POST to {@code path}'s body. */
    public JsonNode body(String path) {
        return JSON.readTree(requests("POST", path).get(0).request());
    }

    /** Every input of every POST to {@code path}. */
    public List<JsonNode> inputs(String path) {
        return requests("POST", path).stream().flatMap(call -> JSON.readTree(call.request()).path("inputs").valueStream()).toList();
    }

    /** How many calls were answered 429 since {@link #clearCalls}. */
    public long answered429() {
        return calls().stream().filter(call -> call.status() == 429).count();
    }
}
