package io.leadflow.chaos;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one scenario from a fresh stack: start everything, post webhooks steadily, wait for the first leads to come
 * through, inject the faults, keep posting a little longer, stop posting, wait until every webhook was acknowledged,
 * then wait for quiet and audit every sink for the acknowledged leads.
 */
final class ScenarioRun {

    /** How the run is paced. */
    record Pace(double webhooksPerSecond, Duration warmUp, Duration tail, Duration settle, List<String> javaOptions) {
    }

    /** What a scenario came to. */
    record Result(String scenario, String description, Map<String, Integer> instances, int sent, int accepted, int retried,
                  int refused, int gaveUp, List<Scenario.Timeline.Event> events, List<Audit.Sink> sinks, Duration convergedAfter,
                  Map<String, Duration> sinkCompleteAfter, Duration took, String error) {

        boolean clean() {
            return error == null && refused == 0 && gaveUp == 0 && sinks.stream().allMatch(Audit.Sink::clean);
        }

        int lost() {
            return refused + gaveUp + sinks.stream().mapToInt(Audit.Sink::lost).sum();
        }

        int duplicated() {
            return sinks.stream().mapToInt(Audit.Sink::duplicated).sum();
        }
    }

    private final Path repository;
    private final Path workDir;
    private final Pace pace;

    ScenarioRun(Path repository, Path workDir, Pace pace) {
        this.repository = repository;
        this.workDir = workDir;
        this.pace = pace;
    }

    Result run(Scenario scenario) {
        Instant started = Instant.now();
        String runId = Long.toString(started.toEpochMilli() % 1_000_000_000L, 36);
        Scenario.Timeline timeline = new Scenario.Timeline();
        try (Stack stack = startStack(scenario)) {
            log("%s: stack up after %d s; posting %.1f webhooks/s", scenario.name(), Duration.between(started, Instant.now()).toSeconds(),
                    pace.webhooksPerSecond());
            Audit audit = new Audit(stack.hubspotUrl(), stack.slackUrl());
            try (WebhookLoad load = new WebhookLoad(stack.intakeUrls(), stack.signing(), runId, Duration.ofMinutes(5))) {
                load.start(pace.webhooksPerSecond());
                Awaitility.await("first leads acknowledged").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                        .until(() -> load.deliveries().stream().filter(WebhookLoad.Delivery::accepted).count() >= 5);
                Awaitility.await().pollDelay(pace.warmUp()).atMost(pace.warmUp().plusSeconds(1)).until(() -> true);
                log("%s: injecting faults", scenario.name());
                scenario.inject(stack, timeline);
                Instant faultsOver = Instant.now();
                timeline.events().forEach(e -> log("  %s %s: serving again after %.1f s", e.what(), e.target(), e.toServeAgain().toMillis() / 1000.0));
                Awaitility.await().pollDelay(pace.tail()).atMost(pace.tail().plusSeconds(1)).until(() -> true);
                load.stop();
                Awaitility.await("every webhook acknowledged or given up").atMost(Duration.ofMinutes(6))
                        .pollInterval(Duration.ofMillis(500)).until(() -> load.inFlight() == 0);
                List<WebhookLoad.Delivery> deliveries = load.deliveries();
                List<Audit.Lead> leads = deliveries.stream().filter(WebhookLoad.Delivery::accepted)
                        .map(d -> new Audit.Lead(d.leadId(), d.email(), d.domain())).toList();
                log("%s: %d webhooks sent, %d acknowledged; waiting for the sinks", scenario.name(), load.sent(), leads.size());
                Duration settle = pace.settle().plus(scenario.extraSettle());
                AtomicReference<List<Audit.Sink>> last = new AtomicReference<>(List.of());
                AtomicReference<Instant> converged = new AtomicReference<>();
                Map<String, Duration> sinkComplete = new java.util.LinkedHashMap<>();
                try {
                    Awaitility.await("every sink complete").atMost(settle).pollInterval(Duration.ofSeconds(3))
                            .ignoreException(Audit.RateLimited.class).until(() -> {
                                List<Audit.Sink> sinks = new ArrayList<>(audit.check(leads));
                                sinks.addAll(scenario.audit(stack));
                                if (!sinks.equals(last.get())) {
                                    log("  %s", String.join(", ", sinks.stream().map(s -> s.name() + " " + s.found() + "/" + s.expected()
                                            + (s.duplicated() > 0 ? " (" + s.duplicated() + " duplicated)" : "")).toList()));
                                }
                                last.set(sinks);
                                sinks.stream().filter(s -> s.lost() == 0)
                                        .forEach(s -> sinkComplete.putIfAbsent(s.name(), Duration.between(faultsOver, Instant.now())));
                                boolean complete = sinks.stream().allMatch(s -> s.lost() == 0);
                                if (complete) {
                                    converged.set(Instant.now());
                                }
                                return complete;
                            });
                    // complete: stay a while longer, so that a late duplicate is seen too
                    Awaitility.await().pollDelay(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(11)).until(() -> true);
                } catch (ConditionTimeoutException e) {
                    log("%s: the sinks were not complete after %d s", scenario.name(), settle.toSeconds());
                }
                List<Audit.Sink> sinks = Awaitility.await("final audit").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(2))
                        .ignoreException(Audit.RateLimited.class).until(() -> {
                            List<Audit.Sink> all = new ArrayList<>(audit.check(leads));
                            all.addAll(scenario.audit(stack));
                            return all;
                        }, s -> true);
                int refused = (int) deliveries.stream().filter(d -> !d.accepted() && d.outcome().startsWith("refused")).count();
                int gaveUp = (int) deliveries.stream().filter(d -> !d.accepted() && !d.outcome().startsWith("refused")).count();
                deliveries.stream().filter(d -> !d.accepted()).limit(5)
                        .forEach(d -> log("  not acknowledged: %s #%d status %d: %s", d.kind(), d.n(), d.lastStatus(), d.outcome()));
                int retried = (int) deliveries.stream().filter(d -> d.attempts() > 1).count();
                Duration convergedAfter = converged.get() == null ? null : Duration.between(faultsOver, converged.get());
                return new Result(scenario.name(), scenario.description(), scenario.instances(), load.sent(), leads.size(), retried, refused,
                        gaveUp, timeline.events(), sinks, convergedAfter, sinkComplete, Duration.between(started, Instant.now()), null);
            }
        } catch (RuntimeException e) {
            log("%s: could not run: %s", scenario.name(), e.getMessage());
            return new Result(scenario.name(), scenario.description(), scenario.instances(), 0, 0, 0, 0, 0, timeline.events(),
                    new ArrayList<>(), null, Map.of(), Duration.between(started, Instant.now()), String.valueOf(e.getMessage()));
        }
    }

    /**
     * A started stack. Its ports are found free just before its processes bind them, so another program on the machine
     * can take one in between; a stack that does not start is closed and started once more, on new ports and in a
     * directory of its own.
     */
    private Stack startStack(Scenario scenario) {
        for (int attempt = 1; ; attempt++) {
            Path dir = workDir.resolve(attempt == 1 ? scenario.name() : scenario.name() + "-" + attempt);
            Stack stack = new Stack(new Stack.Layout(repository, dir, scenario.instances(), pace.javaOptions(), scenario.isolated()),
                    Signing.random());
            log("%s: starting the stack (%s)", scenario.name(), scenario.instances());
            try {
                stack.start();
                return stack;
            } catch (RuntimeException e) {
                stack.close();
                if (attempt == 2) {
                    throw e;
                }
                log("%s: the stack did not start (%s); once more, on new ports", scenario.name(), e.getMessage());
            }
        }
    }

    static void log(String format, Object... args) {
        System.out.printf("[chaos %tT] %s%n", Instant.now().atZone(java.time.ZoneOffset.UTC), String.format(format, args));
    }
}
