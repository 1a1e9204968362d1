package io.leadflow.sandbox.hubspot;

import io.leadflow.sandbox.AdminGuard;
import io.leadflow.sandbox.RecordedCall;
import io.leadflow.sandbox.SandboxStore;
import io.leadflow.sandbox.SandboxToken;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    private static final String ASSOCIATED = "contacts,companies,deals,notes,tasks";

    private final HubSpotSandboxSettings settings;
    private final Clock clock;
    private final Crm crm;
    private final RateLimits rateLimits;
    private final CallLog calls;
    private final Faults faults;
    private final AdminGuard admin = new AdminGuard();
    private volatile SandboxToken requiredToken;

    public HubSpotSandbox(HubSpotSandboxSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.crm = new Crm(settings, clock);
        this.faults = new Faults(clock);
        this.rateLimits = new RateLimits(settings);
        this.calls = new CallLog(settings.recordedCalls(), settings.recordedBodyChars());
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

    /** Failures to answer with, for tests; also set over HTTP at {@code /sandbox/hubspot/faults}. */
    public Faults faults() {
        return faults;
    }

    /**
     * From now on the fault controls over HTTP ({@code /sandbox/hubspot/faults}) need {@code Authorization: Bearer
     * <adminToken>} wherever the request comes from; until then they answer only requests from loopback.
     */
    public void requireAdminToken(String adminToken) {
        admin.requireToken(adminToken);
    }

    AdminGuard admin() {
        return admin;
    }

    /**
     * From now on only {@code Authorization: Bearer <token>} is accepted, not just any bearer token: the local stack
     * asks for this when it listens beyond loopback.
     */
    public void requireToken(String token) {
        requiredToken = new SandboxToken(token);
    }

    /**
     * From now on {@code requests} per rolling {@code window} are answered, more get HubSpot's 429
     * {@code TEN_SECONDLY_ROLLING}; {@link #reset} goes back to the settings' limit.
     */
    public void rateLimit(int requests, Duration window) {
        rateLimits.limit(requests, window);
    }

    /** From now on {@code perSecond} searches a second are answered, more get HubSpot's 429 {@code SECONDLY}. */
    public void searchRateLimit(int perSecond) {
        rateLimits.limitSearches(perSecond);
    }

    /** As newly started with the same settings: no records, calls, counts, spent rate limit, faults or required token. */
    public void reset() {
        requiredToken = null;
        crm.write(() -> {
            crm.clear();
            return null;
        });
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
        return update("deals", dealId, properties);
    }

    /**
     * Changes a record's properties as a user does in HubSpot's UI (a task marked completed, a deal moved on): not an API
     * call, so neither rate-limited nor recorded. False when there is no such record or HubSpot would refuse the change.
     */
    public boolean update(String rawType, String id, Map<String, String> properties) {
        ObjectNode changes = JSON.createObjectNode();
        properties.forEach(changes::put);
        try {
            crm.write(() -> crm.update(Types.type(rawType), id, null, changes, clock.instant()));
            return true;
        } catch (HubSpotError e) {
            return false;
        }
    }

    /** Creates a record as a user does in HubSpot's UI (not an API call); its id. */
    public String create(String rawType, Map<String, String> properties) {
        ObjectNode input = JSON.createObjectNode();
        ObjectNode props = input.putObject("properties");
        properties.forEach(props::put);
        return crm.write(() -> crm.create(Types.type(rawType), input, clock.instant()).id());
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

    /** A live record as HubSpot returns it, with its associations to contacts, companies, deals, notes and tasks. */
    public Optional<ObjectNode> object(String rawType, String id) {
        String type = Types.type(rawType);
        return crm.read(() -> Optional.ofNullable(crm.objects.get(type).get(id)).filter(o -> !o.archived())
                .map(o -> crm.view(o, ASSOCIATED)));
    }

    /** Live records of a type whose {@code property} is {@code value} (emails compared as HubSpot does), oldest first. */
    public List<ObjectNode> objectsWith(String rawType, String property, String value) {
        String type = Types.type(rawType);
        String wanted = property.equals("email") ? value.trim().toLowerCase(Locale.ROOT) : value;
        return crm.read(() -> crm.objects.get(type).values().stream()
                .filter(o -> !o.archived() && wanted.equalsIgnoreCase(o.properties().getOrDefault(property, "")))
                .map(o -> crm.view(o, ASSOCIATED)).toList());
    }

    /** The live records of {@code toType} a record is associated with, oldest first. */
    public List<ObjectNode> associated(String rawFromType, String fromId, String rawToType) {
        String from = Types.type(rawFromType);
        String to = Types.type(rawToType);
        return crm.read(() -> {
            Set<String> ids = new LinkedHashSet<>();
            for (Crm.Association a : crm.associations) {
                if (a.fromType().equals(from) && a.fromId().equals(fromId) && a.toType().equals(to)) {
                    ids.add(a.toId());
                }
            }
            return ids.stream().map(id -> crm.objects.get(to).get(id)).filter(o -> o != null && !o.archived())
                    .sorted(Comparator.comparingLong(o -> Long.parseLong(o.id()))).map(o -> crm.view(o, null)).toList();
        });
    }

    /**
     * How many live records of each type the portal holds, and how many associations: pairs of associated records, each
     * direction counted once whatever its labels (in associations v4 a label is a type of one association, not another).
     */
    public Map<String, Integer> counts() {
        return crm.read(() -> {
            Map<String, Integer> counts = new LinkedHashMap<>();
            crm.objects.forEach((type, byId) -> counts.put(type, (int) byId.values().stream().filter(o -> !o.archived()).count()));
            counts.put("associations", (int) crm.associations.stream()
                    .map(a -> List.of(a.fromType(), a.fromId(), a.toType(), a.toId())).distinct().count());
            return counts;
        });
    }

    /** The most recent calls, newest first. */
    public List<RecordedCall> calls(int limit) {
        return calls.newestFirst(limit);
    }

    /** The calls to {@code method path} (path below the base URL, without query) still recorded, oldest first. */
    public List<RecordedCall> calls(String method, String path) {
        List<RecordedCall> matching = new ArrayList<>(calls.newestFirst(Integer.MAX_VALUE).stream()
                .filter(c -> c.method().equals(method) && c.path().equals(path)).toList());
        Collections.reverse(matching);
        return matching;
    }

    /** Forgets the recorded calls and the counts per endpoint; the portal's records stay. */
    public void clearCalls() {
        calls.clear();
    }

    /** Calls per endpoint since start, and how many were answered 429. */
    public Map<String, Long> callCounts() {
        Map<String, Long> counts = calls.counts();
        counts.put("429 answers", rateLimits.refused());
        return counts;
    }

    // The portal kept across restarts of the local stack

    /**
     * Restores what {@code store} holds, then keeps every change there before it is answered: each write of the portal
     * (an API call, a reset, a change made as a user) is appended to the store's journal and forced to disk under the
     * portal's lock, and the whole state is written as a new snapshot whenever the journal has outgrown the last one. A
     * process killed at any moment keeps every change a client saw answered. Call once, before serving.
     */
    public void persistTo(SandboxStore store) {
        loadFrom(store);
        crm.journalTo(entry -> {
            store.append(entry);
            // a permanent delete compacts at once: the journal would otherwise keep the deleted record on disk
            if (store.journalOutgrewSnapshot() || purges(entry)) {
                store.write(SandboxState.save(crm));
            }
        });
    }

    private static boolean purges(ObjectNode entry) {
        for (var op : entry.path("ops")) {
            if (op.path("op").asString("").equals("purge")) {
                return true;
            }
        }
        return false;
    }

    /** Writes the whole state to {@code store} as its snapshot, emptying its journal (a compaction, as on a clean stop). */
    public void saveTo(SandboxStore store) {
        synchronized (crm.lock) {
            store.write(SandboxState.save(crm));
        }
    }

    /** Restores what {@code store} holds: its snapshot, then the changes journalled after it. */
    public void loadFrom(SandboxStore store) {
        SandboxStore.Restored restored = store.restore();
        restored.snapshot().ifPresent(root -> SandboxState.load(crm, root));
        restored.changes().forEach(crm::replay);
    }
}
