package io.leadflow.notifier.delivery;

import io.leadflow.avro.RepAlert;
import io.leadflow.avro.SentAlert;
import io.leadflow.notifier.InMemorySentLedger;
import io.leadflow.notifier.SandboxSlack;
import io.leadflow.notifier.TestAlerts;
import io.leadflow.notifier.deals.DealLinks;
import io.leadflow.notifier.dedupe.SentStatus;
import io.leadflow.notifier.privacy.AlertSubjects;
import io.leadflow.notifier.privacy.ErasedPeople;
import io.leadflow.notifier.slack.SlackClient;
import io.leadflow.notifier.system.NotifierProperties;
import io.leadflow.notifier.templates.Templates;
import io.leadflow.platform.privacy.Subjects;
import io.leadflow.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The delivery protocol and the per-channel lanes against the Slack sandbox, with the ledger in memory. */
class DeliveryTests {

    static final SandboxSlack slack = SandboxSlack.start();
    static final String SUBJECT_KEY = "delivery-tests-privacy-key-of-32-bytes-at-least";

    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(8);
    private final InMemorySentLedger ledger = new InMemorySentLedger();
    private final List<Exception> deadLettered = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicLong offsets = new AtomicLong();
    private final DealLinks deals = new DealLinks(100, "12345", "https://app.hubspot.com");

    @BeforeEach
    void emptyWorkspace() {
        slack.reset();
    }

    @AfterEach
    void stopLanes() {
        executor.shutdownNow();
    }

    @AfterAll
    static void stopSlack() {
        slack.close();
    }

    @Test
    void remindersToOneChannelGoInABurstThenEvenlyOnePerPeriod() {
        Duration period = Duration.ofMillis(200);
        int burst = 3;
        AlertDelivery delivery = delivery(period, burst);

        for (int i = 0; i < 9; i++) {
            submit(delivery, TestAlerts.trialToChannel("paced-" + i, "C0PACED"));
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> finished.get() == 9);
        List<SandboxSlack.Call> posts = slack.postsTo("C0PACED");
        assertThat(posts).extracting(SandboxSlack.Call::alertId).hasSize(9).doesNotHaveDuplicates();
        // A token bucket: the burst goes at once, then one token per period. In any n consecutive posts there are at most
        // burst + elapsed / period, and once the burst is spent no two posts come closer than a period (minus the time
        // the burst itself took): no clumps, unlike fixed windows that let a whole window's permits go back to back.
        assertThat(Duration.between(posts.get(0).at(), posts.get(burst - 1).at())).isLessThan(period);
        for (int i = 0; i < posts.size(); i++) {
            for (int n = burst + 1; i + n < posts.size(); n++) {
                assertThat(Duration.between(posts.get(i).at(), posts.get(i + n).at())).as("posts %d..%d", i, i + n)
                        .isGreaterThanOrEqualTo(period.multipliedBy(n - burst).minusMillis(5));
            }
        }
        for (int i = burst; i < posts.size(); i++) {
            assertThat(Duration.between(posts.get(i - 1).at(), posts.get(i).at())).as("gap before post %d", i)
                    .isGreaterThanOrEqualTo(period.dividedBy(2));
        }
        assertThat(ledger.written()).filteredOn(m -> m.getStatus().equals("SENT")).hasSize(9);
        assertThat(meters.find("leadflow.notifier.throttled").tag("reason", "rate_limiter").timer().count()).isPositive();
    }

    @Test
    void newLeadsWaitingForARepArePostedAsOneDigestNewestFirst() {
        AlertDelivery delivery = delivery(Duration.ofMillis(500), 1);
        Instant start = Instant.parse("2026-01-05T14:00:00Z");
        // given a first lead for each rep, which spends the rep's token...
        submit(delivery, TestAlerts.newLead("first-a", "First A", start, "U0REPA0001"));
        submit(delivery, TestAlerts.newLead("first-b", "First B", start, "U0REPB0001"));
        await().atMost(Duration.ofSeconds(5)).until(() -> slack.posts().size() == 2);

        // (crm-sync has announced the deal of one of them)
        String dealUrl = "https://app.hubspot.com/contacts/12345/record/0-3/4711";
        deals.synced(io.leadflow.avro.CrmSynced.newBuilder().setLeadId("a-7").setContactId("101").setCompanyId("202").setDealId("4711")
                .setDealUrl(dealUrl).setPipelineId("hands-on").setSyncedAt(start)
                .setOutcome(io.leadflow.avro.SyncOutcome.values()[0]).build());

        // when twelve more leads per rep arrive before the next token, not in the order they were received
        for (int i : List.of(3, 1, 12, 7, 2, 9, 4, 11, 5, 8, 10, 6)) {
            submit(delivery, TestAlerts.newLead("a-" + i, "Company A" + i, start.plusSeconds(i), "U0REPA0001"));
            submit(delivery, TestAlerts.newLead("b-" + i, "Company B" + i, start.plusSeconds(i), "U0REPB0001"));
        }

        // then each rep gets one more message: a digest listing all twelve, one line each, the newest first
        await().atMost(Duration.ofSeconds(10)).until(() -> finished.get() == 26);
        for (String rep : List.of("A", "B")) {
            List<SandboxSlack.Call> posts = slack.postsTo("U0REP" + rep + "0001");
            assertThat(posts).hasSize(2);
            assertThat(posts.get(0).isDigest()).isFalse();
            SandboxSlack.Call digest = posts.get(1);
            List<String> newestFirst = new ArrayList<>();
            for (int i = 12; i >= 1; i--) {
                newestFirst.add("NEW_LEAD:" + rep.toLowerCase() + "-" + i);
            }
            assertThat(digest.alertIds()).containsExactlyElementsOf(newestFirst);
            assertThat(digest.alertId()).isEqualTo(newestFirst.get(0));
            String text = digest.body().path("blocks").toString();
            for (int i = 12; i > 1; i--) {
                assertThat(text.indexOf("Company " + rep + i + "*")).as("line of lead %d before lead %d", i, i - 1)
                        .isNotNegative().isLessThan(text.indexOf("Company " + rep + (i - 1) + "*"));
            }
            assertThat(digest.body().path("text").asString("")).startsWith("12 new leads: Company " + rep + "12, ");
            // the HubSpot deal where it is known; no contact-search links, which would double every line
            assertThat(text).doesNotContain("objects/0-1/views/all/list");
            if (rep.equals("A")) {
                assertThat(text).contains("<" + dealUrl + "|HubSpot deal>");
            }
            // every lead PENDING before the post, SENT after it with the digest's ts
            List<SentAlert> markers = ledger.written();
            Set<String> digestTs = new HashSet<>();
            for (String id : newestFirst) {
                List<String> statuses = markers.stream().filter(m -> m.getAlertId().equals(id)).map(SentAlert::getStatus).toList();
                assertThat(statuses).as(id).containsExactly("PENDING", "SENT");
                digestTs.add(sent(id).orElseThrow().getSlackTs());
            }
            assertThat(digestTs).hasSize(1).doesNotContain(sent("NEW_LEAD:first-" + rep.toLowerCase()).orElseThrow().getSlackTs());
        }
        assertThat(meters.counter("leadflow.notifier.alerts", "kind", "NEW_LEAD", "outcome", "sent").count()).isEqualTo(26);
        assertThat(meters.find("leadflow.notifier.digest.alerts").summary().count()).isEqualTo(2);
        assertThat(meters.find("leadflow.notifier.digest.alerts").summary().totalAmount()).isEqualTo(24);
    }

    @Test
    void aLoneNewLeadIsPostedOnItsOwnWithTheFullTemplate() {
        AlertDelivery delivery = delivery(Duration.ofMillis(100), 3);

        submit(delivery, TestAlerts.newLead("lone-lead"));

        await().atMost(Duration.ofSeconds(5)).until(() -> finished.get() == 1);
        SandboxSlack.Call post = slack.posts().get(0);
        assertThat(post.isDigest()).isFalse();
        assertThat(post.alertIds()).containsExactly("NEW_LEAD:lone-lead");
        assertThat(post.body().path("blocks").toString()).contains("Why this lead is yours", "Next steps");
        assertThat(meters.find("leadflow.notifier.digest.alerts").summary()).isNull();
    }

    @Test
    void everyMarkerNamesTheLeadAndThePersonTheMessageShowsByTheirSubjectSoAnErasureFindsIt() {
        AlertDelivery delivery = delivery(Duration.ofMillis(100), 3);

        submit(delivery, TestAlerts.newLead("named-lead"));
        submit(delivery, TestAlerts.trial(io.leadflow.avro.AlertKind.TRIAL_CHECK_IN, "check-in-1"));

        await().atMost(Duration.ofSeconds(5)).until(() -> finished.get() == 2);
        String subject = new Subjects(SUBJECT_KEY).of(" Jane.Doe@ACME.io");
        List<SentAlert> lead = ledger.written().stream().filter(m -> m.getAlertId().equals("NEW_LEAD:named-lead")).toList();
        assertThat(lead).extracting(SentAlert::getStatus).containsExactly("PENDING", "SENT");
        assertThat(lead).allSatisfy(m -> {
            assertThat(m.getLeadId()).isEqualTo("named-lead");
            assertThat(m.getSubject()).isEqualTo(subject);
        });
        // a reminder shows no email: it is found by its lead, never by a guess
        List<SentAlert> reminder = ledger.written().stream().filter(m -> !m.getAlertId().equals("NEW_LEAD:named-lead")).toList();
        assertThat(reminder).isNotEmpty().allSatisfy(m -> {
            assertThat(m.getLeadId()).isEqualTo("7c9e6679-7425-40de-944b-e07fc1f90ae7");
            assertThat(m.getSubject()).isNull();
        });
    }

    @Test
    void remindersAreNeverPutIntoADigest() {
        AlertDelivery delivery = delivery(Duration.ofMillis(300), 1);
        Instant start = Instant.parse("2026-01-05T14:00:00Z");
        submit(delivery, TestAlerts.newLead("first", "First", start, "C0MIXED"));
        await().atMost(Duration.ofSeconds(5)).until(() -> slack.posts().size() == 1);

        for (int i = 1; i <= 3; i++) {
            submit(delivery, TestAlerts.trialToChannel("reminder-" + i, "C0MIXED"));
            submit(delivery, TestAlerts.newLead("lead-" + i, "Lead " + i, start.plusSeconds(i), "C0MIXED"));
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> finished.get() == 7);
        List<SandboxSlack.Call> posts = slack.postsTo("C0MIXED");
        assertThat(posts).hasSize(5);
        assertThat(posts).filteredOn(p -> p.alertId().startsWith("reminder-"))
                .allSatisfy(p -> assertThat(p.alertIds()).hasSize(1))
                .extracting(SandboxSlack.Call::alertId).containsExactly("reminder-1", "reminder-2", "reminder-3");
        assertThat(posts).filteredOn(SandboxSlack.Call::isDigest).singleElement()
                .extracting(SandboxSlack.Call::alertIds).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .containsExactly("NEW_LEAD:lead-3", "NEW_LEAD:lead-2", "NEW_LEAD:lead-1");
    }

    @Test
    void leadsWithButtonsKeepThemInADigestAndAnAcceptChangesOnlyThatLeadsButtons() {
        AlertDelivery delivery = delivery(Duration.ofMillis(300), 1);
        Instant start = Instant.parse("2026-01-05T14:00:00Z");
        submit(delivery, TestAlerts.newLead("first", "First", start, "C0BURST"));
        await().atMost(Duration.ofSeconds(5)).until(() -> slack.posts().size() == 1);

        // a burst of leads with Accept / Pass and of leads without, all waiting for the same channel's token
        for (int i = 1; i <= 3; i++) {
            RepAlert clickable = TestAlerts.newLeadWithButtons("click-" + i, 1);
            clickable.setChannel("C0BURST");
            clickable.setLeadReceivedAt(start.plusSeconds(i));
            submit(delivery, clickable);
            submit(delivery, TestAlerts.newLead("plain-" + i, "Plain " + i, start.plusSeconds(i), "C0BURST"));
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> finished.get() == 7);
        List<SandboxSlack.Call> posts = slack.postsTo("C0BURST");
        assertThat(posts).hasSize(2);
        SandboxSlack.Call digest = posts.get(1);
        assertThat(digest.isDigest()).isTrue();
        assertThat(digest.alertIds()).containsExactlyInAnyOrder("NEW_LEAD:click-1", "NEW_LEAD:click-2", "NEW_LEAD:click-3",
                "NEW_LEAD:plain-1", "NEW_LEAD:plain-2", "NEW_LEAD:plain-3");
        // each clickable lead: its line, then its own buttons in a block named after its alert
        String digestTs = sent("NEW_LEAD:click-2").orElseThrow().getSlackTs();
        JsonNode before = slack.message("C0BURST", digestTs);
        assertThat(actionBlocks(before)).containsExactly("leadflow_actions:NEW_LEAD:click-3", "leadflow_actions:NEW_LEAD:click-2",
                "leadflow_actions:NEW_LEAD:click-1");
        assertThat(SandboxSlack.hasButton(before, "lead.accept")).isTrue();

        // the answer to a click on one lead changes that lead's buttons, and nothing else of the digest
        RepAlert accepted = TestAlerts.accepted("click-2", 1, "NEW_LEAD:click-2");
        submit(delivery, accepted);
        submit(delivery, accepted);
        await().atMost(Duration.ofSeconds(5)).until(() -> finished.get() == 9);
        assertThat(slack.updates()).singleElement().satisfies(update -> {
            assertThat(update.body().path("ts").asString("")).isEqualTo(digestTs);
            assertThat(update.body().has("metadata")).as("the digest keeps the alerts it lists").isFalse();
        });
        assertThat(slack.posts()).hasSize(2);
        JsonNode after = slack.message("C0BURST", digestTs);
        assertThat(actionBlocks(after)).containsExactly("leadflow_actions:NEW_LEAD:click-3", "leadflow_actions:NEW_LEAD:click-1");
        assertThat(after.path("blocks").toString()).contains("leadflow_state:NEW_LEAD:click-2", "Accepted by Simon at 14:05 UTC",
                "Acme Analytics", "Plain 1");
        assertThat(after.path("blocks").size()).isEqualTo(before.path("blocks").size());
        assertThat(after.path("text").asString("")).isEqualTo(before.path("text").asString(""));
        assertThat(SandboxSlack.alertIds(after.path("metadata"))).hasSize(6);
        assertThat(sent(accepted.getAlertId())).hasValueSatisfying(m -> assertThat(m.getSlackTs()).isEqualTo(digestTs));

        // a second answer about the same lead (it was reassigned after all) replaces that line again, idempotently
        RepAlert reassigned = TestAlerts.accepted("click-2", 1, "NEW_LEAD:click-2");
        reassigned.setAlertId("LEAD_REASSIGNED:click-2:v1");
        reassigned.setTitle("Reassigned to Cameron");
        submit(delivery, reassigned);
        await().atMost(Duration.ofSeconds(5)).until(() -> finished.get() == 10);
        JsonNode last = slack.message("C0BURST", digestTs);
        assertThat(last.path("blocks").toString()).contains("Reassigned to Cameron").doesNotContain("Accepted by Simon");
        assertThat(actionBlocks(last)).containsExactly("leadflow_actions:NEW_LEAD:click-3", "leadflow_actions:NEW_LEAD:click-1");
    }

    private static List<String> actionBlocks(JsonNode message) {
        List<String> ids = new ArrayList<>();
        message.path("blocks").forEach(block -> {
            if ("actions".equals(block.path("type").asString("")) && block.path("block_id").asString("").startsWith("leadflow_actions:")) {
                ids.add(block.path("block_id").asString(""));
            }
        });
        return ids;
    }

    @Test
    void aLargeBacklogIsSplitIntoSeveralMessagesTheNewestFirstEachLeadOnce() {
        AlertDelivery delivery = delivery(Duration.ofMillis(200), 1);
        Instant start = Instant.parse("2026-01-05T14:00:00Z");
        submit(delivery, TestAlerts.newLead("first", "First", start, "C0BACKLOG"));
        await().atMost(Duration.ofSeconds(5)).until(() -> slack.posts().size() == 1);

        List<String> newestFirst = new ArrayList<>();
        for (int i = 1; i <= 150; i++) {
            submit(delivery, TestAlerts.newLead("backlog-" + i, "Backlog company with a fairly long name number " + i,
                    start.plusSeconds(i), "C0BACKLOG"));
            newestFirst.add(0, "NEW_LEAD:backlog-" + i);
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> finished.get() == 151);
        List<SandboxSlack.Call> digests = slack.postsTo("C0BACKLOG").stream().filter(SandboxSlack.Call::isDigest).toList();
        assertThat(digests).hasSizeBetween(2, 10);
        assertThat(digests.stream().flatMap(p -> p.alertIds().stream()).toList()).containsExactlyElementsOf(newestFirst);
        for (SandboxSlack.Call digest : digests) {
            assertThat(digest.body().path("blocks").size()).isLessThanOrEqualTo(50);
            int chars = digest.body().path("text").asString("").length();
            for (var block : digest.body().path("blocks")) {
                String text = block.path("text").path("text").asString("");
                assertThat(text.length()).isLessThanOrEqualTo(3000);
                chars += text.length();
                for (var element : block.path("elements")) {
                    chars += element.path("text").asString("").length();
                }
            }
            assertThat(chars).isLessThanOrEqualTo(12000);
        }
        assertThat(newestFirst).allSatisfy(id -> assertThat(sent(id)).isPresent());
    }

    @Test
    void aDigestSlackFindsTooLongIsPostedAsTwoMessagesWithoutLosingALead() {
        AlertDelivery delivery = delivery(Duration.ofMillis(200), 1);
        slack.faults().on("chat.postMessage").where(m -> m.path("metadata").path("event_payload").path("count").asInt(0) > 4)
                .answer("msg_blocks_too_long");
        Instant start = Instant.parse("2026-01-05T14:00:00Z");
        submit(delivery, TestAlerts.newLead("first", "First", start, "C0LONG"));
        await().atMost(Duration.ofSeconds(5)).until(() -> slack.posts().size() == 1);

        for (int i = 1; i <= 8; i++) {
            submit(delivery, TestAlerts.newLead("long-" + i, "Long " + i, start.plusSeconds(i), "C0LONG"));
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> finished.get() == 9);
        List<SandboxSlack.Call> accepted = slack.postsTo("C0LONG").stream()
                .filter(p -> p.isDigest() && p.body().path("metadata").path("event_payload").path("count").asInt() <= 4).toList();
        assertThat(accepted).hasSize(2).allMatch(SandboxSlack.Call::ok);
        assertThat(accepted.get(0).alertIds()).containsExactly("NEW_LEAD:long-8", "NEW_LEAD:long-7", "NEW_LEAD:long-6", "NEW_LEAD:long-5");
        assertThat(accepted.get(1).alertIds()).containsExactly("NEW_LEAD:long-4", "NEW_LEAD:long-3", "NEW_LEAD:long-2", "NEW_LEAD:long-1");
        assertThat(deadLettered).isEmpty();
        for (int i = 1; i <= 8; i++) {
            assertThat(sent("NEW_LEAD:long-" + i)).isPresent();
        }
    }

    @Test
    void leadsLeftPendingByACrashAreFoundInTheDigestThatListsThemAndTheRestIsPostedOnce() {
        AlertDelivery delivery = delivery(Duration.ofMillis(300), 1);
        Instant start = Instant.parse("2026-01-05T14:00:00Z");
        RepAlert inDigest1 = TestAlerts.newLead("crashed-1", "Crashed 1", start.plusSeconds(1), "C0CRASHED");
        RepAlert notPosted = TestAlerts.newLead("crashed-2", "Crashed 2", start.plusSeconds(2), "C0CRASHED");
        RepAlert inDigest3 = TestAlerts.newLead("crashed-3", "Crashed 3", start.plusSeconds(3), "C0CRASHED");
        for (RepAlert alert : List.of(inDigest1, notPosted, inDigest3)) {
            ledger.record(marker(alert.getAlertId(), "C0CRASHED", SentStatus.PENDING, null, Instant.now().minusSeconds(5)));
        }
        String digestTs = slack.postedEarlier("C0CRASHED", "2 new leads", "leadflow_alert", "NEW_LEAD:crashed-3", "NEW_LEAD:crashed-1");
        submit(delivery, TestAlerts.newLead("first", "First", start, "C0CRASHED"));
        await().atMost(Duration.ofSeconds(5)).until(() -> slack.posts().size() == 1);

        submit(delivery, inDigest1);
        submit(delivery, notPosted);
        submit(delivery, inDigest3);

        await().atMost(Duration.ofSeconds(10)).until(() -> finished.get() == 4);
        List<SandboxSlack.Call> posts = slack.postsTo("C0CRASHED");
        assertThat(posts).hasSize(2);
        assertThat(posts.get(1).alertIds()).containsExactly("NEW_LEAD:crashed-2");
        assertThat(sent("NEW_LEAD:crashed-1")).hasValueSatisfying(m -> assertThat(m.getSlackTs()).isEqualTo(digestTs));
        assertThat(sent("NEW_LEAD:crashed-3")).hasValueSatisfying(m -> assertThat(m.getSlackTs()).isEqualTo(digestTs));
        assertThat(sent("NEW_LEAD:crashed-2")).hasValueSatisfying(m -> assertThat(m.getSlackTs()).isEqualTo(posts.get(1).answeredTs()));
        assertThat(meters.counter("leadflow.notifier.alerts", "kind", "NEW_LEAD", "outcome", "recovered").count()).isEqualTo(2);
    }

    @Test
    void withDigestsOffEveryLeadIsPostedOnItsOwn() {
        AlertDelivery delivery = delivery(Duration.ofMillis(100), 1, false);
        Instant start = Instant.parse("2026-01-05T14:00:00Z");

        for (int i = 1; i <= 4; i++) {
            submit(delivery, TestAlerts.newLead("single-" + i, "Single " + i, start.plusSeconds(i), "C0SINGLE"));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> finished.get() == 4);
        assertThat(slack.postsTo("C0SINGLE")).hasSize(4).noneMatch(SandboxSlack.Call::isDigest);
    }

    @Test
    void alertsToManyChannelsAreNotSerialisedBehindOneLimiter() {
        // A period far longer than the wait below: serialised behind one limiter the 20 posts would need 19 periods
        // (9.5 minutes), so the test tells the two designs apart however busy the machine is.
        Duration period = Duration.ofSeconds(30);
        AlertDelivery delivery = delivery(period, 1);

        for (int i = 0; i < 20; i++) {
            submit(delivery, TestAlerts.toChannel("spread-" + i, "C0SPREAD" + i));
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> finished.get() == 20);
        List<SandboxSlack.Call> posts = slack.posts();
        assertThat(posts).extracting(SandboxSlack.Call::channel).hasSize(20).doesNotHaveDuplicates();
        // Serialised behind one limiter they would need 19 periods; each channel has its own, so none waits a period.
        assertThat(Duration.between(posts.get(0).at(), posts.get(19).at())).isLessThan(period);
    }

    @Test
    void retryAfterDelaysOnlyTheThrottledChannel() {
        AlertDelivery delivery = delivery(Duration.ofSeconds(1), 3);
        slack.faults().on("chat.postMessage").where(m -> m.path("channel").asString("").equals("C0THROTTLED")).once().rateLimited(2);

        submit(delivery, TestAlerts.toChannel("throttled-1", "C0THROTTLED"));
        await().atMost(Duration.ofSeconds(5)).until(() -> slack.postsTo("C0THROTTLED").size() == 1);
        submit(delivery, TestAlerts.trialToChannel("free-1", "C0FREE"));
        submit(delivery, TestAlerts.trialToChannel("free-2", "C0FREE"));

        await().atMost(Duration.ofSeconds(10)).until(() -> finished.get() == 3);
        List<SandboxSlack.Call> throttled = slack.postsTo("C0THROTTLED");
        List<SandboxSlack.Call> free = slack.postsTo("C0FREE");
        assertThat(throttled).hasSize(2).extracting(SandboxSlack.Call::alertId).containsOnly("throttled-1");
        assertThat(Duration.between(throttled.get(0).at(), throttled.get(1).at())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(free).hasSize(2).allSatisfy(p -> assertThat(p.at()).isBefore(throttled.get(1).at()));
        assertThat(sent("throttled-1")).isPresent();
        assertThat(meters.find("leadflow.notifier.throttled").tag("reason", "retry_after").timer().totalTime(java.util.concurrent.TimeUnit.SECONDS))
                .isGreaterThanOrEqualTo(2.0);
    }

    @Test
    void duplicateAlertIdIsPostedOnce() {
        AlertDelivery delivery = delivery(Duration.ofMillis(100), 3);
        RepAlert alert = TestAlerts.newLead("dup-lead");

        submit(delivery, alert);
        submit(delivery, alert);

        await().atMost(Duration.ofSeconds(5)).until(() -> finished.get() == 2);
        assertThat(slack.posts()).hasSize(1);
        assertThat(meters.counter("leadflow.notifier.alerts", "kind", "NEW_LEAD", "outcome", "duplicate").count()).isEqualTo(1);
        assertThat(meters.counter("leadflow.notifier.alerts", "kind", "NEW_LEAD", "outcome", "sent").count()).isEqualTo(1);
        assertThat(meters.find("leadflow.notifier.latency").timer().count()).isEqualTo(1);
        assertThat(meters.find("leadflow.notifier.speed.to.lead").timer().count()).isEqualTo(1);
    }

    @Test
    void alertLeftPendingByACrashAndAlreadyInSlackIsNotPostedAgain() {
        AlertDelivery delivery = delivery(Duration.ofMillis(100), 3);
        RepAlert alert = TestAlerts.newLead("crashed-lead"); // a DM to U02QULW4MDZ
        ledger.record(marker(alert.getAlertId(), "U02QULW4MDZ", SentStatus.PENDING, null, Instant.now().minusSeconds(5)));
        String postedTs = slack.postedEarlier("U02QULW4MDZ", "New lead", "leadflow_alert", "NEW_LEAD:crashed-lead");

        submit(delivery, alert);

        await().atMost(Duration.ofSeconds(5)).until(() -> finished.get() == 1);
        assertThat(slack.posts()).isEmpty();
        assertThat(sent(alert.getAlertId())).hasValueSatisfying(m -> {
            assertThat(m.getSlackTs()).isEqualTo(postedTs);
            assertThat(m.getChannel()).as("the DM's id, which conversations.open gave").isEqualTo("D02QULW4MDZ");
        });
        assertThat(meters.counter("leadflow.notifier.alerts", "kind", "NEW_LEAD", "outcome", "recovered").count()).isEqualTo(1);
    }

    @Test
    void alertLeftPendingByACrashButNotInSlackIsPostedOnce() {
        AlertDelivery delivery = delivery(Duration.ofMillis(100), 3);
        RepAlert alert = TestAlerts.toChannel("pending-not-posted", "C0LEADS");
        ledger.record(marker(alert.getAlertId(), "C0LEADS", SentStatus.PENDING, null, Instant.now().minusSeconds(5)));

        submit(delivery, alert);

        await().atMost(Duration.ofSeconds(5)).until(() -> finished.get() == 1);
        assertThat(slack.posts()).hasSize(1);
        assertThat(slack.historyReads()).singleElement().satisfies(read -> assertThat(read.channel()).isEqualTo("C0LEADS"));
        assertThat(sent(alert.getAlertId())).isPresent();
    }

    @Test
    void uncertainAnswerIsCheckedInHistoryBeforeAnyRepost() {
        AlertDelivery delivery = delivery(Duration.ofMillis(100), 3);
        // Slack keeps the message but answers internal_error ("it's possible some aspect of the operation succeeded")
        slack.faults().on("chat.postMessage").afterApplying().answer("internal_error");

        submit(delivery, TestAlerts.toChannel("uncertain-1", "C0LEADS"));

        await().atMost(Duration.ofSeconds(5)).until(() -> finished.get() == 1);
        assertThat(slack.posts()).hasSize(1);
        String kept = slack.messagesWith("uncertain-1").get(0).path("ts").asString();
        assertThat(slack.messagesWith("uncertain-1")).hasSize(1);
        assertThat(sent("uncertain-1")).hasValueSatisfying(m -> assertThat(m.getSlackTs()).isEqualTo(kept));
    }

    @Test
    void retryableErrorIsRetriedUntilPosted() {
        AlertDelivery delivery = delivery(Duration.ofMillis(100), 3);
        slack.faults().on("chat.postMessage").once().answer("service_unavailable");

        submit(delivery, TestAlerts.toChannel("retry-1", "C0LEADS"));

        await().atMost(Duration.ofSeconds(5)).until(() -> finished.get() == 1);
        assertThat(slack.posts()).hasSize(2);
        assertThat(slack.messagesWith("retry-1")).hasSize(1);
        assertThat(sent("retry-1")).isPresent();
        assertThat(deadLettered).isEmpty();
    }

    @Test
    void permanentErrorGoesToTheDeadLetterTopicWithTheSlackErrorAndIsNotRetried() {
        AlertDelivery delivery = delivery(Duration.ofMillis(100), 3);
        slack.faults().on("chat.postMessage").answer("channel_not_found");

        submit(delivery, TestAlerts.toChannel("doomed-1", "C0GONE"));

        await().atMost(Duration.ofSeconds(5)).until(() -> finished.get() == 1);
        assertThat(slack.posts()).hasSize(1);
        assertThat(deadLettered).singleElement().isInstanceOfSatisfying(DeliveryFailure.class,
                f -> assertThat(f.error()).isEqualTo("channel_not_found"));
        assertThat(ledger.find("doomed-1")).hasValueSatisfying(m -> assertThat(m.getStatus()).isEqualTo("FAILED"));
        assertThat(meters.counter("leadflow.notifier.alerts", "kind", "NEW_LEAD", "outcome", "failed").count()).isEqualTo(1);
    }

    @Test
    void alertWithNowhereToGoIsDeadLettered() {
        AlertDelivery delivery = delivery(Duration.ofMillis(100), 3);
        RepAlert alert = TestAlerts.newLead("homeless");
        alert.setSlackUserId(null);

        submit(delivery, alert);

        await().atMost(Duration.ofSeconds(5)).until(() -> finished.get() == 1);
        assertThat(slack.posts()).isEmpty();
        assertThat(deadLettered).singleElement().isInstanceOfSatisfying(DeliveryFailure.class,
                f -> assertThat(f.error()).isEqualTo("no_destination"));
    }

    @Test
    void acceptedAlertUpdatesTheNewLeadMessageInPlaceExactlyOnce() {
        AlertDelivery delivery = delivery(Duration.ofMillis(100), 3);
        RepAlert newLead = TestAlerts.newLeadWithButtons("lead-acc", 1);
        newLead.setChannel("C0LEADS");
        submit(delivery, newLead);
        await().atMost(Duration.ofSeconds(5)).until(() -> finished.get() == 1);
        String postedTs = sent(newLead.getAlertId()).orElseThrow().getSlackTs();
        RepAlert accepted = TestAlerts.accepted("lead-acc", 1, newLead.getAlertId());

        submit(delivery, accepted);
        submit(delivery, accepted);

        await().atMost(Duration.ofSeconds(5)).until(() -> finished.get() == 3);
        assertThat(slack.posts()).singleElement().satisfies(p -> assertThat(p.hasButton("lead.accept")).isTrue());
        assertThat(slack.updates()).singleElement().satisfies(update -> {
            assertThat(update.channel()).isEqualTo("C0LEADS");
            assertThat(update.body().path("ts").asString("")).isEqualTo(postedTs);
            assertThat(update.body().path("text").asString("")).isEqualTo("Accepted by Simon at 14:05 UTC");
            assertThat(update.body().path("blocks").isArray()).as("blocks replace the old ones").isTrue();
            assertThat(update.hasButton("lead.accept")).as("buttons gone").isFalse();
            assertThat(update.body().has("metadata")).as("the message keeps the alert id it was posted with").isFalse();
            assertThat(update.bearer()).isTrue();
            assertThat(update.ok()).as("the sandbox accepts only the bot token").isTrue();
        });
        // and Slack's message is the update: new text, no buttons, still the alert id it was posted with
        var message = slack.message("C0LEADS", postedTs);
        assertThat(message.path("text").asString("")).isEqualTo("Accepted by Simon at 14:05 UTC");
        assertThat(SandboxSlack.hasButton(message, "lead.accept")).isFalse();
        assertThat(SandboxSlack.alertIds(message.path("metadata"))).containsExactly(newLead.getAlertId());
        assertThat(sent(accepted.getAlertId())).hasValueSatisfying(m -> {
            assertThat(m.getChannel()).isEqualTo("C0LEADS");
            assertThat(m.getSlackTs()).isEqualTo(postedTs);
        });
        assertThat(meters.counter("leadflow.notifier.alerts", "kind", "LEAD_ACCEPTED", "outcome", "updated").count()).isEqualTo(1);
        assertThat(meters.counter("leadflow.notifier.alerts", "kind", "LEAD_ACCEPTED", "outcome", "duplicate").count()).isEqualTo(1);
    }

    @Test
    void updateOfAMessageTheLedgerDoesNotKnowFindsItInTheDirectMessageHistory() {
        AlertDelivery delivery = delivery(Duration.ofMillis(100), 3);
        String postedTs = slack.postedEarlier("U02QULW4MDZ", "New lead", "leadflow_alert", "NEW_LEAD:lead-old");
        RepAlert accepted = TestAlerts.accepted("lead-old", 1, "NEW_LEAD:lead-old"); // a DM to U02QULW4MDZ

        submit(delivery, accepted);

        await().atMost(Duration.ofSeconds(5)).until(() -> finished.get() == 1);
        assertThat(slack.posts()).isEmpty();
        assertThat(slack.updates()).singleElement().satisfies(update -> {
            assertThat(update.channel()).as("chat.update takes the DM's id, not the user's").isEqualTo("D02QULW4MDZ");
            assertThat(update.body().path("ts").asString("")).isEqualTo(postedTs);
            assertThat(update.ok()).isTrue();
        });
        // searched from the update's creation minus the update look-back, with the message metadata
        assertThat(slack.historyReads()).anySatisfy(read -> {
            assertThat(read.body().path("include_all_metadata").asString()).isEqualTo("true");
            assertThat(read.body().path("oldest").asString()).isEqualTo(slackTs(accepted.getCreatedAt().minus(Duration.ofDays(7))));
        });
        assertThat(sent(accepted.getAlertId())).hasValueSatisfying(m -> assertThat(m.getSlackTs()).isEqualTo(postedTs));
    }

    @Test
    void updateOfAnUnknownMessageIsPostedAsANewMessageOnce() {
        AlertDelivery delivery = delivery(Duration.ofMillis(100), 3);
        RepAlert accepted = TestAlerts.accepted("lead-gone", 2, "NEW_LEAD:lead-gone:v2");
        accepted.setChannel("C0LEADS");

        submit(delivery, accepted);
        submit(delivery, accepted);

        await().atMost(Duration.ofSeconds(5)).until(() -> finished.get() == 2);
        assertThat(slack.updates()).isEmpty();
        assertThat(slack.posts()).singleElement().satisfies(p -> {
            assertThat(p.channel()).isEqualTo("C0LEADS");
            assertThat(p.alertId()).isEqualTo(accepted.getAlertId());
        });
        assertThat(sent(accepted.getAlertId())).isPresent();
    }

    @Test
    void updateOfADeletedMessageIsPostedAsANewMessage() {
        AlertDelivery delivery = delivery(Duration.ofMillis(100), 3);
        // the ledger knows a message Slack no longer has
        ledger.record(marker("NEW_LEAD:lead-del", "C0LEADS", SentStatus.SENT, "1767621700.000200", Instant.now().minusSeconds(60)));
        RepAlert accepted = TestAlerts.accepted("lead-del", 1, "NEW_LEAD:lead-del");
        accepted.setChannel("C0LEADS");

        submit(delivery, accepted);

        await().atMost(Duration.ofSeconds(5)).until(() -> finished.get() == 1);
        assertThat(slack.updates()).singleElement()
                .satisfies(u -> {
                    assertThat(u.body().path("ts").asString("")).isEqualTo("1767621700.000200");
                    assertThat(u.call().answer().path("error").asString()).isEqualTo("message_not_found");
                });
        assertThat(slack.posts()).singleElement().satisfies(p -> assertThat(p.alertId()).isEqualTo(accepted.getAlertId()));
        assertThat(deadLettered).isEmpty();
    }

    @Test
    void rateLimitedUpdateWaitsRetryAfterThenUpdatesOnce() {
        AlertDelivery delivery = delivery(Duration.ofMillis(100), 3);
        slack.faults().on("chat.update").once().rateLimited(1);
        String postedTs = slack.postedEarlier("C0LEADS", "New lead", "leadflow_alert", "NEW_LEAD:lead-429");
        ledger.record(marker("NEW_LEAD:lead-429", "C0LEADS", SentStatus.SENT, postedTs, Instant.now().minusSeconds(60)));
        RepAlert accepted = TestAlerts.accepted("lead-429", 1, "NEW_LEAD:lead-429");
        accepted.setChannel("C0LEADS");

        submit(delivery, accepted);

        await().atMost(Duration.ofSeconds(5)).until(() -> finished.get() == 1);
        List<SandboxSlack.Call> updates = slack.updates();
        assertThat(updates).hasSize(2);
        assertThat(Duration.between(updates.get(0).at(), updates.get(1).at())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(slack.posts()).isEmpty();
        assertThat(updates.get(1).ok()).isTrue();
        assertThat(sent(accepted.getAlertId())).hasValueSatisfying(m -> assertThat(m.getSlackTs()).isEqualTo(postedTs));
    }

    @Test
    void updateWaitsBehindTheMessageItUpdatesEvenWhenTheyGoToDifferentChannels() {
        AlertDelivery delivery = delivery(Duration.ofMillis(100), 3);
        slack.faults().on("chat.postMessage").delay(Duration.ofMillis(500));
        RepAlert newLead = TestAlerts.newLeadWithButtons("lead-slow", 1);
        newLead.setChannel("C0NEWLEADS");
        RepAlert accepted = TestAlerts.accepted("lead-slow", 1, newLead.getAlertId()); // itself a DM to the rep

        submit(delivery, newLead);
        submit(delivery, accepted);

        await().atMost(Duration.ofSeconds(5)).until(() -> finished.get() == 2);
        assertThat(slack.posts()).singleElement().satisfies(p -> assertThat(p.alertId()).isEqualTo(newLead.getAlertId()));
        assertThat(slack.updates()).singleElement().satisfies(u -> {
            assertThat(u.channel()).isEqualTo("C0NEWLEADS");
            assertThat(u.body().path("ts").asString("")).isEqualTo(slack.posts().get(0).answeredTs());
            assertThat(u.ok()).isTrue();
        });
    }

    @Test
    void ephemeralAlertIsShownOnceToTheClickerInTheClickedChannel() {
        AlertDelivery delivery = delivery(Duration.ofMillis(100), 3);
        RepAlert notTheOwner = TestAlerts.notTheOwner("activity-1", "U00CAMERON1", "C0LEADS");

        submit(delivery, notTheOwner);
        submit(delivery, notTheOwner);

        await().atMost(Duration.ofSeconds(5)).until(() -> finished.get() == 2);
        assertThat(slack.posts()).isEmpty();
        assertThat(slack.ephemerals()).singleElement().satisfies(e -> {
            assertThat(e.channel()).isEqualTo("C0LEADS");
            assertThat(e.body().path("user").asString("")).isEqualTo("U00CAMERON1");
            assertThat(e.body().path("text").asString("")).isEqualTo("This lead is Simon's: only its owner can accept or pass it");
            assertThat(e.body().path("blocks").isArray()).isTrue();
        });
        assertThat(sent(notTheOwner.getAlertId())).hasValueSatisfying(m -> {
            assertThat(m.getChannel()).isEqualTo("C0LEADS");
            assertThat(m.getSlackTs()).isEqualTo(slack.ephemerals().get(0).answeredTs());
        });
    }

    @Test
    void ephemeralAlertLeftPendingByACrashIsNotShownAgainWhenRepostingIsOff() {
        AlertDelivery delivery = delivery(Duration.ofMillis(100), 3, true, false);
        RepAlert notTheOwner = TestAlerts.notTheOwner("activity-2", "U00CAMERON1", "C0LEADS");
        ledger.record(marker(notTheOwner.getAlertId(), "C0LEADS", SentStatus.PENDING, null, Instant.now().minusSeconds(5)));

        submit(delivery, notTheOwner);

        await().atMost(Duration.ofSeconds(5)).until(() -> finished.get() == 1);
        assertThat(slack.ephemerals()).isEmpty();
        assertThat(deadLettered).singleElement().isInstanceOfSatisfying(DeliveryFailure.class,
                f -> assertThat(f.getMessage()).contains("unverifiable"));
        assertThat(ledger.find(notTheOwner.getAlertId())).hasValueSatisfying(m -> assertThat(m.getStatus()).isEqualTo("FAILED"));
    }

    @Test
    void ephemeralToSomeoneNotInTheChannelIsDeadLetteredWithSlacksError() {
        AlertDelivery delivery = delivery(Duration.ofMillis(100), 3);
        // U0STRANGER is no member of the workspace
        submit(delivery, TestAlerts.notTheOwner("activity-3", "U0STRANGER", "C0LEADS"));

        await().atMost(Duration.ofSeconds(5)).until(() -> finished.get() == 1);
        assertThat(slack.ephemerals()).hasSize(1);
        assertThat(deadLettered).singleElement().isInstanceOfSatisfying(DeliveryFailure.class,
                f -> assertThat(f.error()).isEqualTo("user_not_in_channel"));
    }

    @Test
    void configuredChannelForAKindWinsOverTheDirectMessage() {
        MockEnvironment environment = new MockEnvironment().withProperty("LEADFLOW_SLACK_CHANNEL_NEW_LEAD", "C0NEWLEADS");
        ChannelResolver resolver = new ChannelResolver(Map.of(io.leadflow.avro.AlertKind.TRIAL_KICKOFF, "C0TRIALS"), environment);

        assertThat(resolver.channelFor(TestAlerts.newLead("l1"))).contains("C0NEWLEADS");
        assertThat(resolver.channelFor(TestAlerts.trial(io.leadflow.avro.AlertKind.TRIAL_KICKOFF, "r1"))).contains("C0TRIALS");
        assertThat(resolver.channelFor(TestAlerts.trial(io.leadflow.avro.AlertKind.TRIAL_EXPIRED, "r2"))).contains("U02QULW4MDZ");
        assertThat(resolver.channelFor(TestAlerts.toChannel("a1", "C0OWN"))).contains("C0OWN");
    }

    private AlertDelivery delivery(Duration period, int burst) {
        return delivery(period, burst, true);
    }

    private AlertDelivery delivery(Duration period, int burst, boolean digests) {
        return delivery(period, burst, digests, true);
    }

    private AlertDelivery delivery(Duration period, int burst, boolean digests, boolean repostUnverifiable) {
        NotifierProperties properties = new NotifierProperties(
                new NotifierProperties.Slack(slack.baseUrl(), SandboxSlack.TOKEN, Duration.ofSeconds(1), Duration.ofSeconds(2)),
                Map.of(),
                new NotifierProperties.RateLimit(period, burst),
                new NotifierProperties.Delivery(8, 1000, Duration.ofMillis(50), Duration.ofMillis(200), 5, Duration.ofSeconds(5)),
                new NotifierProperties.Recovery(100, 3, Duration.ofMinutes(2), repostUnverifiable, Duration.ofSeconds(10), Duration.ofDays(7)),
                new NotifierProperties.Hubspot("12345", "https://app.hubspot.com"),
                new NotifierProperties.Deals(100),
                new NotifierProperties.Digest(digests, 12000),
                new io.leadflow.platform.privacy.PrivacyKey(SUBJECT_KEY),
                new NotifierProperties.SharedChannels(NotifierProperties.Trigger.OFF, "ext-", List.of(), true, 20, ""));
        SlackClient client = SlackClient.create(RestClient.builder(), slack.baseUrl(), SandboxSlack.TOKEN,
                Duration.ofSeconds(1), Duration.ofSeconds(2));
        DeliveryMetrics metrics = new DeliveryMetrics(meters);
        ChannelLanes lanes = new ChannelLanes(executor, period, burst, metrics);
        return new AlertDelivery(client, new Templates(), deals, ledger,
                new ChannelResolver(Map.of(), new MockEnvironment()), lanes,
                (record, exception) -> deadLettered.add(exception), properties, metrics, Clock.systemUTC(),
                new AlertSubjects(new Subjects(SUBJECT_KEY)), ErasedPeople.notFollowing(AlertSubjects.none(), ledger, meters));
    }

    private void submit(AlertDelivery delivery, RepAlert alert) {
        ConsumerRecord<String, RepAlert> record = new ConsumerRecord<>(Topics.REP_ALERTS.name(), 0, offsets.getAndIncrement(),
                alert.getRepId(), alert);
        delivery.submit(record, () -> true, finished::incrementAndGet);
    }

    private java.util.Optional<SentAlert> sent(String alertId) {
        return ledger.find(alertId).filter(m -> m.getStatus().equals("SENT"));
    }

    /** Slack's notation for a time: seconds with six decimals. */
    private static String slackTs(Instant instant) {
        return instant.getEpochSecond() + "." + String.format("%06d", instant.getNano() / 1000);
    }

    private static SentAlert marker(String alertId, String channel, SentStatus status, String ts, Instant at) {
        return SentAlert.newBuilder().setAlertId(alertId).setChannel(channel).setStatus(status.name()).setSlackTs(ts).setAt(at).build();
    }
}
