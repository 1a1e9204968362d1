package io.leadflow.localstack.demo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code --demo}: every few seconds, one webhook from the next source in turn (website form, Calendly,
 * Cal.com, Mailgun), from a rotating cast of personas and companies, so that both pipelines, both reps,
 * YC, EU and US, a group demo, an MSA and an air-gapped install all show up; and every few leads, one
 * hands-on deal is moved into the evaluation stage, which starts a trial.
 */
public final class DemoFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DemoFeed.class);

    /** Source and persona of each tick, in order; the cycle covers every case the console should show. */
    private static final List<Step> STEPS = List.of(
            new Step(Source.WEBSITE, SampleLeads.ENTERPRISE_EU),
            new Step(Source.CALENDLY, SampleLeads.SCALE_US_DEMO),
            new Step(Source.WEBSITE, SampleLeads.YC_SCALE_US),
            new Step(Source.CALCOM, SampleLeads.GROUP_DEMO_EU),
            new Step(Source.MAILGUN, SampleLeads.AIR_GAPPED),
            new Step(Source.WEBSITE, SampleLeads.CLOUD_SMALL),
            new Step(Source.MAILGUN, SampleLeads.ENTERPRISE_EU),
            new Step(Source.CALENDLY, SampleLeads.YC_SCALE_US));

    enum Source { WEBSITE, CALENDLY, CALCOM, MAILGUN }

    record Step(Source source, SampleLeads.Persona persona) {
    }

    private final WebhookClient webhooks;
    private final Runnable trialStarter;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final AtomicInteger tick = new AtomicInteger();

    private DemoFeed(WebhookClient webhooks, Runnable trialStarter, Clock clock) {
        this.webhooks = webhooks;
        this.trialStarter = trialStarter;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "leadflow-demo-feed");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * @param trialStarter starts one trial (e.g. moves a hands-on deal into the evaluation stage); called every
     *                     fourth tick
     */
    public static DemoFeed start(WebhookClient webhooks, Runnable trialStarter, Duration every) {
        DemoFeed feed = new DemoFeed(webhooks, trialStarter, Clock.systemUTC());
        feed.scheduler.scheduleWithFixedDelay(feed::next, 1000, every.toMillis(), TimeUnit.MILLISECONDS);
        return feed;
    }

    void next() {
        int n = tick.getAndIncrement();
        try {
            Step step = STEPS.get(n % STEPS.size());
            // From the second round on, every lead comes from a new company: a known domain keeps its owner.
            int round = n / STEPS.size();
            SampleLeads.Persona persona = round == 0 ? step.persona() : step.persona().at(step.persona().company() + " " + (round + 1),
                    step.persona().emailDomain().replaceFirst("\\.", (round + 1) + "."));
            HttpResponse<String> response = post(step.source(), persona);
            if (response.statusCode() >= 300) {
                log.warn("Demo {} lead for {} answered {}: {}", step.source(), persona.company(), response.statusCode(), response.body());
            } else {
                log.debug("Demo: {} lead from {} ({})", step.source().name().toLowerCase(java.util.Locale.ROOT), persona.company(),
                        persona.country());
            }
            if (n % 4 == 3) {
                trialStarter.run();
            }
        } catch (RuntimeException e) {
            log.warn("Demo feed: {}", e.getMessage());
        }
    }

    private HttpResponse<String> post(Source source, SampleLeads.Persona persona) {
        Instant now = clock.instant();
        Instant demoAt = now.plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        String id = UUID.randomUUID().toString();
        return switch (source) {
            case WEBSITE -> webhooks.website(SampleLeads.websiteForm("demo-" + id, persona, now));
            case CALENDLY -> webhooks.calendly(SampleLeads.calendlyBooking(id, persona, demoAt));
            case CALCOM -> webhooks.calcom(SampleLeads.calcomBooking(id, persona, demoAt));
            case MAILGUN -> webhooks.mailgun(SampleLeads.mailgunEmail(id + "@mail." + persona.emailDomain(), persona));
        };
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
