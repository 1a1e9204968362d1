package io.leadflow.routing.api;

import io.leadflow.avro.RulesVersion;
import io.leadflow.routing.decide.Router;
import io.leadflow.routing.rules.RulesLoader;
import io.leadflow.routing.topology.RoutingTopology;
import org.springframework.stereotype.Component;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The rules the routing task decides with now, for the read API (preview, reps, re-route checks): the live version in
 * the task's stores when this instance holds them, else the file the instance started with.
 */
@Component
class LiveRouter {

    private record Built(int version, Router router) {
    }

    private final RoutingStores stores;
    private final Router started;
    private final AtomicReference<Built> cache = new AtomicReference<>();

    LiveRouter(RoutingStores stores, Router started) {
        this.stores = stores;
        this.started = started;
    }

    Router current() {
        RulesVersion live = stores.liveRules().orElse(null);
        if (live == null) {
            return started;
        }
        Built built = cache.get();
        if (built == null || built.version() != live.getVersion()) {
            try {
                built = new Built(live.getVersion(), new Router(RulesLoader.parse(live.getYaml(), "routing.rules v" + live.getVersion())));
            } catch (RuntimeException e) {
                return started;
            }
            cache.set(built);
        }
        return built.router();
    }
}
