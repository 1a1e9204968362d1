package io.leadflow.routing.topology;

import io.leadflow.avro.RulesVersion;
import io.leadflow.routing.decide.Router;
import io.leadflow.routing.rules.InvalidRulesException;
import io.leadflow.routing.rules.RulesLoader;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules the routing task decides with. Until the first version of {@code routing.rules} reaches the routing lane it
 * is the file the service started with (version 0); from then on, the highest version met in the lane. The live version
 * is kept in the task's stores ({@link RoutingTopology#RULES_STORE}, and its number in the counters store so the task's
 * other processor can see a switch with one small read), in the same transaction as the decisions made under it: a
 * restarted or moved task, and a replay of the lane, switch at the same lead. Round-robin counters, caps and account
 * owners live in their own stores and carry over from one version to the next.
 */
final class LiveRules {

    private static final Logger log = LoggerFactory.getLogger(LiveRules.class);

    static final String LIVE = "live";
    static final String LIVE_NUMBER = "rules|live";

    private final Router initial;
    private final KeyValueStore<String, RulesVersion> store;
    private final KeyValueStore<String, Long> counters;
    private int version = -1;
    private Router router;

    LiveRules(Router initial, KeyValueStore<String, RulesVersion> store, KeyValueStore<String, Long> counters) {
        this.initial = initial;
        this.store = store;
        this.counters = counters;
        refresh();
    }

    Router router() {
        return router;
    }

    /** The {@code routing.rules} version of {@link #router()}; 0 for the file the service started with. */
    int version() {
        return version;
    }

    /** Catches up with the stores (the routing processor may have switched since); true when the rules changed. */
    boolean refresh() {
        Long live = counters.get(LIVE_NUMBER);
        int number = live == null ? 0 : live.intValue();
        if (number == version) {
            return false;
        }
        RulesVersion published = number == 0 ? null : store.get(LIVE);
        if (published == null) {
            router = initial;
        } else {
            try {
                router = build(published);
            } catch (InvalidRulesException e) {
                // it loaded when it was adopted; a later release that reads it differently must not stop routing
                log.error("Live routing rules v{} no longer load ({}); deciding with the file the service started with", number, e.getMessage());
                router = initial;
            }
        }
        version = number;
        return true;
    }

    /**
     * Switches to a version met in the lane: only a version above the live one whose file loads (an older or repeated
     * one — a rebuilt lane, a re-read topic — changes nothing). True when it switched.
     */
    boolean adopt(RulesVersion published) {
        refresh();
        if (published.getVersion() <= version) {
            log.info("Routing rules v{} met in the lane, already at v{}: ignored", published.getVersion(), version);
            return false;
        }
        Router next;
        try {
            next = build(published);
        } catch (InvalidRulesException e) {
            log.error("Routing rules v{} do not load, staying at v{}: {}", published.getVersion(), version, e.getMessage());
            return false;
        }
        store.put(LIVE, published);
        counters.put(LIVE_NUMBER, (long) published.getVersion());
        log.info("Routing rules switched from v{} to v{} ({}, sha256 {}, published by {}{})", version, published.getVersion(),
                next.rules().version(), published.getSha256(), published.getPublishedBy(),
                published.getNote() == null ? "" : ": " + published.getNote());
        router = next;
        version = published.getVersion();
        return true;
    }

    private static Router build(RulesVersion published) {
        return new Router(RulesLoader.parse(published.getYaml(), "routing.rules v" + published.getVersion()));
    }
}
