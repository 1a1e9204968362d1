package io.leadflow.sandbox.hubspot;

import io.leadflow.sandbox.RecordedCall;
import io.leadflow.sandbox.SandboxStore;
import io.leadflow.sandbox.SandboxToken;
import tools.jackson.databind.node.ArrayNode;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.leadflow.sandbox.hubspot.Answers.JSON;

/**
 * An in-memory HubSpot CRM that answers the REST calls Leadflow makes the way HubSpot does: CRM objects v3 (single and
 * batch create/read/update/upsert/archive, search), associations v3 and v4, pipelines, properties and owners, with
 * HubSpot's JSON shapes, numeric ids, 207 multi-status batch answers, 409 on a duplicate contact email and the
 * private-app rate limit (190 requests per rolling 10 s, search 5 per second) answered with 429 and a
 * {@code policyName}. Every call is recorded.
 *
 * <p>This is the portal; {@link HubSpotSandboxWeb} serves it over HTTP inside an application, and
 * {@link HubSpotSandboxServer} on a port of its own. Thread-safe.
 */
public final class HubSpotSandbox {

    private final HubSpotSandboxSettings settings;
    private final Clock clock;
    private final Crm crm;
    private final RateLimits rateLimits;
    private final CallLog calls;
    private final Faults faults = new Faults();
    private volatile SandboxToken requiredToken;

    public HubSpotSandbox(HubSpotSandboxSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.crm = new Crm(settings, clock);
        this.rateLimits = new RateLimits(settings);
        this.calls = new CallLog(settings.recordedCalls());
    }

    /** A deal's stage was set: what a {@code deal.propertyChange} webhook for {@code dealstage} carries. */
    public record StageChange(String dealId, String pipelineId, String stageId, Instant occurredAt) {
    }

    /** Called (outside the sandbox's lock) after a deal's {@code dealstage} is set or changed, as HubSpot's webhooks would report. */
    public void onDealStageChange(Consumer<StageChange> listener) {
        crm.onDealStageChange(listener);
    }

    public HubSpotSandboxSettings settings() {
        return settings;
    }

    /** Failures to answer with, for tests. */
    public Faults faults() {
        return faults;
    }

    /**
     * From now on only {@code Authorization: Bearer <token>} is accepted, not just any bearer token: the local stack
     * asks for this when it listens beyond loopback.
     */
    public void requireToken(String token) {
        requiredToken = new SandboxToken(token);
    }

    /** As newly started with the same settings: no records, calls, counts, spent rate limit, faults or required token. */
    public void reset() {
        requiredToken = null;
        crm.clear();
        calls.clear();
        rateLimits.clear();
        faults.clear();
    }

    boolean accepts(String authorization) {
        SandboxToken required = requiredToken;
        return authorization != null && authorization.startsWith("Bearer ") && authorization.length() > "Bearer ".length()
                && (required == null || required.matches(authorization.substring("Bearer ".length()).trim()));
    }

    Crm crm() {
        return crm;
    }

    Clock clock() {
        return clock;
    }

    RateLimits rateLimits() {
        return rateLimits;
    }

    CallLog calls() {
        return calls;
    }

    /**
     * Changes a deal's properties as a rep does in HubSpot's UI: not an API call, so neither rate-limited nor recorded,
     * but a stage change is reported like any other. False when there is no such deal or HubSpot would refuse the change
     * (a stage its pipeline does not have).
     */
    public boolean updateDeal(String dealId, Map<String, String> properties) {
        tools.jackson.databind.node.ObjectNode changes = JSON.createObjectNode();
        properties.forEach(changes::put);
        try {
            crm.write(() -> crm.update("deals", dealId, null, changes, clock.instant()));
            return true;
        } catch (HubSpotError e) {
            return false;
        }
    }

    // What the console and tests read

    /** Every live object of a type, newest first, as HubSpot would return it (with associations to the main types). */
    public ArrayNode objects(String rawType) {
        String type = Types.type(rawType);
        return crm.read(() -> {
            ArrayNode all = JSON.createArrayNode();
            List<Crm.CrmObject> list = new ArrayList<>(crm.objects.get(type).values());
            Collections.reverse(list);
            for (Crm.CrmObject object : list) {
                if (!object.archived()) {
                    all.add(crm.view(object, "contacts,companies,deals"));
                }
            }
            return all;
        });
    }

    /** The most recent calls, newest first. */
    public List<RecordedCall> calls(int limit) {
        return calls.newestFirst(limit);
    }

    /** Calls per endpoint since start, and how many were answered 429. */
    public Map<String, Long> callCounts() {
        Map<String, Long> counts = calls.counts();
        counts.put("429 answers", rateLimits.refused());
        return counts;
    }

    // The portal kept across restarts of the local stack

    /** Writes the whole state to {@code store}. */
    public void saveTo(SandboxStore store) {
        store.write(SandboxState.save(crm));
    }

    /** Restores what {@link #saveTo} wrote, if anything. */
    public void loadFrom(SandboxStore store) {
        store.read().ifPresent(root -> SandboxState.load(crm, root));
    }
}
