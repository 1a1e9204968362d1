package io.leadflow.routing.privacy;

import io.leadflow.platform.privacy.ErasureReports;
import io.leadflow.avro.ErasureReport;
import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.ErasureStatus;
import io.leadflow.avro.LeadRouted;
import io.leadflow.platform.privacy.Subjects;
import io.leadflow.routing.topology.RoutingTopology;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Erases a person from the routing task's stores, in the task's own lane: every decision about one of their leads
 * ({@code routing-decisions}, found by the subject of the lead's email), the leads' SLA clocks and due timers, and the
 * HubSpot links that point at them. Each delete is a tombstone in the store's changelog, and with
 * {@code exactly_once_v2} the tombstones, the person's entry in the erased list and the {@code DONE} report commit in
 * one transaction: the report is never seen without the erasure, nor the erasure without the report. The routing task
 * is the only one holding these stores (one partition, see {@link RoutingTopology}), so its report is the service's.
 *
 * <p>An erasure met again (a restart, a replay) finds nothing left and reports DONE again. Without a privacy key the
 * person cannot be matched: the erasure is kept pending in the erased list, reported FAILED, and done at the first
 * scan after the service starts with a key.
 */
final class ErasureProcessor implements Processor<String, ErasureRequested, String, ErasureReport> {

    private static final Logger log = LoggerFactory.getLogger(ErasureProcessor.class);
    private static final String PENDING = "pending";
    private static final String DONE = "done";
    static final Duration RETRY_INTERVAL = Duration.ofSeconds(30);

    private final ErasedPeople people;
    private final Clock clock;
    private ProcessorContext<String, ErasureReport> context;
    private KeyValueStore<String, LeadRouted> decisions;
    private KeyValueStore<String, ?> sla;
    private KeyValueStore<String, String> due;
    private KeyValueStore<String, String> crmLinks;
    private KeyValueStore<String, String> erased;

    ErasureProcessor(ErasedPeople people, Clock clock) {
        this.people = people;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, ErasureReport> context) {
        this.context = context;
        this.decisions = context.getStateStore(RoutingTopology.DECISIONS_STORE);
        this.sla = context.getStateStore(RoutingTopology.SLA_STORE);
        this.due = context.getStateStore(RoutingTopology.SLA_DUE_STORE);
        this.crmLinks = context.getStateStore(RoutingTopology.CRM_LINKS_STORE);
        this.erased = context.getStateStore(RoutingErasures.ERASED_STORE);
        context.schedule(RETRY_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> retryPending());
    }

    @Override
    public void process(Record<String, ErasureRequested> record) {
        ErasureRequested request = record.value();
        if (request == null || request.getSubject() == null) {
            return;
        }
        if (request.getEmail() == null) {
            // complete: the person stays in the erased list, nothing is left to do
            erased.putIfAbsent(request.getSubject(), value(request.getErasureId(), request.getRequestedAt().toEpochMilli(), DONE));
            return;
        }
        erased.put(request.getSubject(), value(request.getErasureId(), request.getRequestedAt().toEpochMilli(), PENDING));
        erase(request.getSubject(), request.getErasureId(), request.getRequestedAt().toEpochMilli(), 1);
    }

    private void retryPending() {
        if (people.subjects() == null) {
            return;
        }
        List<KeyValue<String, String>> pending = new ArrayList<>();
        try (KeyValueIterator<String, String> all = erased.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value.endsWith("|" + PENDING)) {
                    pending.add(entry);
                }
            });
        }
        for (KeyValue<String, String> entry : pending) {
            String[] parts = entry.value.split("\\|");
            erase(entry.key, parts[0], Long.parseLong(parts[1]), 2);
        }
    }

    private void erase(String subject, String erasureId, long requestedAt, int attempts) {
        Subjects subjects = people.subjects();
        if (subjects == null) {
            report(erasureId, ErasureStatus.FAILED, "LEADFLOW_PRIVACY_KEY is not set in routing-service; retried once it is", attempts);
            return;
        }
        Set<String> leadIds = new HashSet<>();
        try (KeyValueIterator<String, LeadRouted> all = decisions.all()) {
            all.forEachRemaining(entry -> {
                LeadRouted decision = entry.value;
                if (decision != null && decision.getLead() != null && decision.getLead().getContact() != null
                        && subject.equals(subjects.of(decision.getLead().getContact().getEmail()))) {
                    leadIds.add(entry.key);
                }
            });
        }
        int clocks = 0;
        for (String leadId : leadIds) {
            decisions.delete(leadId);
            if (sla.delete(leadId) != null) {
                clocks++;
            }
        }
        int timers = deleteWhere(due, (key, value) -> {
            int bar = key.indexOf('|');
            String id = bar < 0 ? key : key.substring(bar + 1);
            return leadIds.stream().anyMatch(leadId -> id.startsWith(leadId + "|"));
        });
        int links = deleteWhere(crmLinks, (key, value) -> leadIds.contains(value));
        erased.put(subject, value(erasureId, requestedAt, DONE));
        String detail = leadIds.size() + " decisions, " + clocks + " SLA clocks, " + timers + " due timers, " + links
                + " HubSpot links deleted";
        log.info("Erasure {}: routing-service state erased ({})", erasureId, detail);
        report(erasureId, ErasureStatus.DONE, detail, attempts);
    }

    private static int deleteWhere(KeyValueStore<String, String> store, java.util.function.BiPredicate<String, String> match) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, String> all = store.all()) {
            all.forEachRemaining(entry -> {
                if (match.test(entry.key, entry.value)) {
                    keys.add(entry.key);
                }
            });
        }
        keys.forEach(store::delete);
        return keys.size();
    }

    private void report(String erasureId, ErasureStatus status, String detail, int attempts) {
        ErasureReport report = ErasureReports.of(erasureId, RoutingErasures.SYSTEM, status, detail, attempts, clock.instant());
        context.forward(new Record<>(ErasureReports.key(erasureId, RoutingErasures.SYSTEM), report, clock.millis()));
    }

    static String value(String erasureId, long requestedAtMillis, String state) {
        return erasureId + "|" + requestedAtMillis + "|" + state;
    }

    static long requestedAtMillis(String value) {
        String[] parts = value.split("\\|");
        return Long.parseLong(parts[1]);
    }
}
