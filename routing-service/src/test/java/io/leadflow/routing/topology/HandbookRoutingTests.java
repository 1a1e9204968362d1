package io.leadflow.routing.topology;

import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Need;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.Plan;
import io.leadflow.avro.PlanInterest;
import io.leadflow.avro.RepAlert;
import io.leadflow.avro.RoutingFlag;
import io.leadflow.avro.RoutingReason;
import io.leadflow.routing.rules.RulesLoader;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.leadflow.routing.Leads.lead;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handbook's routing sentences, one test each, against the default rules file through the
 * topology. Test names are the sentences. One driver serves the class: every lead has its own
 * company, and each test starts on a new day, so no test sees another's caps or accounts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HandbookRoutingTests {

    private RoutingDriver driver;

    @BeforeAll
    void start(@TempDir Path stateDir) {
        driver = new RoutingDriver(RulesLoader.loadDefault(), stateDir);
    }

    @BeforeEach
    void nextDay() {
        driver.clock.advance(Duration.ofDays(1));
        driver.decisions();
        driver.alerts();
    }

    @AfterAll
    void stop() {
        driver.close();
    }

    // ---- Self-serve and hands-on pipelines ----

    @Test
    void organisationsInterestedInEnterpriseGoToTheHandsOnPipeline() {
        LeadRouted decision = driver.route(lead().interest(PlanInterest.ENTERPRISE).build());

        assertThat(decision.getPipeline()).isEqualTo(Pipeline.HANDS_ON);
        assertThat(decision.getReasons().get(0)).satisfies(reason -> {
            assertThat(reason.getRule()).isEqualTo("enterprise-interest");
            assertThat(reason.getField()).isEqualTo("planInterest");
            assertThat(reason.getValue()).isEqualTo("ENTERPRISE");
        });
    }

    @Test
    void higherMonthlyEventVolumesAbove50MillionGoToTheHandsOnPipeline() {
        LeadRouted decision = driver.route(lead().events(60_000_000L).build());

        assertThat(decision.getPipeline()).isEqualTo(Pipeline.HANDS_ON);
        assertThat(decision.getReasons().get(0)).satisfies(reason -> {
            assertThat(reason.getRule()).isEqualTo("over-50m-monthly-events");
            assertThat(reason.getField()).isEqualTo("monthlyEvents");
            assertThat(reason.getValue()).isEqualTo("60000000");
            assertThat(reason.getExplanation()).contains("60,000,000");
        });
    }

    @Test
    void exactly50MillionMonthlyEventsStaysSelfServe() {
        assertThat(driver.route(lead().events(50_000_000L).build()).getPipeline()).isEqualTo(Pipeline.SELF_SERVE);
    }

    @Test
    void wantingNonStandardMonthlyBillingGoesToTheHandsOnPipeline() {
        LeadRouted decision = driver.route(lead().needs(Need.NON_STANDARD_BILLING).build());

        assertThat(decision.getPipeline()).isEqualTo(Pipeline.HANDS_ON);
        assertThat(decision.getReasons().get(0).getRule()).isEqualTo("non-standard-billing");
        assertThat(decision.getReasons().get(0).getValue()).isEqualTo("NON_STANDARD_BILLING");
    }

    @Test
    void smallerOrganisationsPreferringMeteredMonthlyBillingAreSelfServe() {
        LeadRouted decision = driver.route(lead().events(2_000_000L).build());

        assertThat(decision.getPipeline()).isEqualTo(Pipeline.SELF_SERVE);
        assertThat(decision.getReasons().get(0).getRule()).isEqualTo("pipeline-default");
        assertThat(decision.getReasons().get(0).getField()).isEqualTo("planInterest, monthlyEvents, needs");
    }

    // ---- Figuring out the best solution for a customer ----

    @Test
    void lowVolumeLessTechnicalStartsWithCloud() {
        LeadRouted decision = driver.route(lead().events(500_000L).technical(false).build());

        assertThat(decision.getRecommendedPlan()).isEqualTo(Plan.CLOUD);
        assertThat(decision.getReasons().get(1).getRule()).isEqualTo("plan-default");
    }

    @Test
    void lowVolumeMoreTechnicalStillMakesSenseOnCloud() {
        LeadRouted decision = driver.route(lead().events(500_000L).technical(true).build());

        assertThat(decision.getRecommendedPlan()).isEqualTo(Plan.CLOUD);
        assertThat(decision.getReasons().get(1).getRule()).isEqualTo("low-volume-more-technical");
    }

    @Test
    void lowVolumeMoreTechnicalWithPrivacyNeedsGetsScale() {
        LeadRouted decision = driver.route(lead().events(500_000L).technical(true).needs(Need.PRIVACY_COMPLIANCE).build());

        assertThat(decision.getRecommendedPlan()).isEqualTo(Plan.SCALE);
        assertThat(decision.getReasons().get(1)).satisfies(reason -> {
            assertThat(reason.getRule()).isEqualTo("low-volume-more-technical-privacy");
            assertThat(reason.getField()).isEqualTo("monthlyEvents, technical, needs");
            assertThat(reason.getValue()).isEqualTo("500000, true, PRIVACY_COMPLIANCE");
        });
    }

    @Test
    void selfHostingInterestIsBothMoreTechnicalAndAPrivacyNeed() {
        LeadRouted decision = driver.route(lead().events(500_000L).technical(null).needs(Need.SELF_HOSTING).build());

        assertThat(decision.getRecommendedPlan()).isEqualTo(Plan.SCALE);
        assertThat(decision.getReasons().get(1).getExplanation()).contains("wants self-hosting");
    }

    @Test
    void highVolumeLessTechnicalIsBestOnCloud() {
        LeadRouted decision = driver.route(lead().events(20_000_000L).technical(false).title("Head of Marketing").build());

        assertThat(decision.getRecommendedPlan()).isEqualTo(Plan.CLOUD);
        assertThat(decision.getReasons().get(1).getRule()).isEqualTo("high-volume-less-technical");
    }

    @Test
    void highVolumeMoreTechnicalNeedingSsoGetsEnterprise() {
        LeadRouted decision = driver.route(lead().events(20_000_000L).technical(null).title("CTO").needs(Need.SSO).build());

        assertThat(decision.getRecommendedPlan()).isEqualTo(Plan.ENTERPRISE);
        assertThat(decision.getReasons().get(1)).satisfies(reason -> {
            assertThat(reason.getRule()).isEqualTo("high-volume-more-technical-sso");
            assertThat(reason.getField()).isEqualTo("monthlyEvents, contact.title, needs");
            assertThat(reason.getValue()).isEqualTo("20000000, CTO, SSO");
        });
    }

    @Test
    void highVolumeMoreTechnicalNeedingProjectPermissionsGetsEnterprise() {
        LeadRouted decision = driver.route(lead().events(20_000_000L).technical(true).needs(Need.PROJECT_PERMISSIONS).build());

        assertThat(decision.getRecommendedPlan()).isEqualTo(Plan.ENTERPRISE);
    }

    @Test
    void highVolumeMoreTechnicalWithoutSsoOrPermissionsGetsScale() {
        LeadRouted decision = driver.route(lead().events(20_000_000L).technical(true).build());

        assertThat(decision.getRecommendedPlan()).isEqualTo(Plan.SCALE);
        assertThat(decision.getReasons().get(1).getRule()).isEqualTo("high-volume-more-technical");
    }

    @Test
    void usersAloneDecideTheVolumeWhenEventsAreUnknown() {
        LeadRouted decision = driver.route(lead().events(null).users(250_000L).technical(true).build());

        assertThat(decision.getRecommendedPlan()).isEqualTo(Plan.SCALE);
        assertThat(decision.getReasons().get(1).getField()).startsWith("monthlyActiveUsers");
    }

    // ---- CS team customer profiles ----

    @Test
    void cameronLooksAfterGroupDemos() {
        LeadRouted decision = driver.route(lead().groupDemo().eu().build());

        assertThat(decision.getOwner().getRepId()).isEqualTo("cameron");
        assertThat(ownerReason(decision)).satisfies(reason -> {
            assertThat(reason.getRule()).isEqualTo("group-demo");
            assertThat(reason.getField()).isEqualTo("groupDemo");
            assertThat(reason.getExplanation()).isEqualTo("Cameron looks after group demos.");
        });
    }

    @Test
    void theDecisionCarriesTheOwnersDisplayNameAndBookingPage() {
        LeadRouted decision = driver.route(lead().eu().interest(PlanInterest.ENTERPRISE).build());

        assertThat(decision.getOwner().getRepId()).isEqualTo("simon");
        assertThat(decision.getOwner().getName()).isEqualTo("Simon");
        assertThat(decision.getOwner().getBookingUrl()).isEqualTo("https://calendly.com/leadflow-simon/30min");
    }

    @Test
    void cameronLooksAfterYcOnboarding() {
        LeadRouted decision = driver.route(lead().yc().build());

        assertThat(decision.getOwner().getRepId()).isEqualTo("cameron");
        assertThat(ownerReason(decision).getRule()).isEqualTo("yc-onboarding");
        assertThat(ownerReason(decision).getField()).isEqualTo("yCombinator");
    }

    // "Scale customers in the US", "Scale customers in the EU" and "Enterprise customers" are about the plan the
    // customer asks for; the recommendation decides only when they named none, and keeps its own reason.

    @Test
    void cameronLooksAfterScaleCustomersInTheUs() {
        LeadRouted decision = driver.route(lead().us().interest(PlanInterest.SCALE).events(3_000_000L).build());

        assertThat(decision.getRecommendedPlan()).isEqualTo(Plan.CLOUD);
        assertThat(decision.getOwner().getRepId()).isEqualTo("cameron");
        assertThat(ownerReason(decision)).satisfies(reason -> {
            assertThat(reason.getRule()).isEqualTo("scale-us");
            assertThat(reason.getField()).isEqualTo("planInterest, contact.region");
            assertThat(reason.getValue()).isEqualTo("SCALE, US");
            assertThat(reason.getExplanation()).isEqualTo("Cameron looks after Scale customers in the US, and they asked for Scale.");
        });
    }

    @Test
    void aUsLeadThatNamedNoPlanIsCameronsWhenScaleIsRecommended() {
        LeadRouted decision = driver.route(lead().us().events(20_000_000L).technical(true).build());

        assertThat(decision.getRecommendedPlan()).isEqualTo(Plan.SCALE);
        assertThat(decision.getOwner().getRepId()).isEqualTo("cameron");
        assertThat(ownerReason(decision)).satisfies(reason -> {
            assertThat(reason.getRule()).isEqualTo("scale-us-recommended");
            assertThat(reason.getField()).isEqualTo("planInterest, recommendedPlan, contact.region");
            assertThat(reason.getValue()).isEqualTo("UNKNOWN, SCALE, US");
        });
    }

    @Test
    void aUsLeadThatAskedForCloudIsNoScaleCustomerEvenWhenScaleIsRecommended() {
        LeadRouted decision = driver.route(lead().us().interest(PlanInterest.CLOUD).events(20_000_000L).technical(true).build());

        assertThat(decision.getRecommendedPlan()).isEqualTo(Plan.SCALE);
        assertThat(decision.getReasons().get(1).getRule()).isEqualTo("high-volume-more-technical");
        assertThat(ownerReason(decision).getRule()).isEqualTo("round-robin");
    }

    @Test
    void simonLooksAfterScaleCustomersInTheEuEvenWhenTheMatrixRecommendsCloud() {
        LeadRouted decision = driver.route(lead().eu().interest(PlanInterest.SCALE).events(3_000_000L).build());

        assertThat(decision.getRecommendedPlan()).isEqualTo(Plan.CLOUD);
        assertThat(decision.getReasons().get(1)).satisfies(plan -> {
            assertThat(plan.getRule()).isEqualTo("plan-default");
            assertThat(plan.getExplanation()).contains("3,000,000 monthly events", "so Cloud");
        });
        assertThat(decision.getOwner().getRepId()).isEqualTo("simon");
        assertThat(ownerReason(decision).getRule()).isEqualTo("scale-eu");
        assertThat(ownerReason(decision).getValue()).isEqualTo("SCALE, EU");
    }

    @Test
    void anEuLeadThatNamedNoPlanIsSimonsWhenScaleIsRecommended() {
        LeadRouted decision = driver.route(lead().eu().events(20_000_000L).technical(true).build());

        assertThat(decision.getOwner().getRepId()).isEqualTo("simon");
        assertThat(ownerReason(decision).getRule()).isEqualTo("scale-eu-recommended");
        assertThat(ownerReason(decision).getValue()).isEqualTo("UNKNOWN, SCALE, EU");
    }

    @Test
    void simonLooksAfterEnterpriseCustomers() {
        LeadRouted decision = driver.route(lead().us().interest(PlanInterest.ENTERPRISE).build());

        assertThat(decision.getRecommendedPlan()).isEqualTo(Plan.ENTERPRISE);
        assertThat(decision.getOwner().getRepId()).isEqualTo("simon");
        assertThat(ownerReason(decision).getRule()).isEqualTo("enterprise");
        assertThat(ownerReason(decision).getField()).isEqualTo("planInterest");
    }

    @Test
    void aLeadThatNamedNoPlanIsSimonsWhenEnterpriseIsRecommended() {
        LeadRouted decision = driver.route(lead().us().events(20_000_000L).technical(true).needs(Need.SSO).build());

        assertThat(decision.getRecommendedPlan()).isEqualTo(Plan.ENTERPRISE);
        assertThat(decision.getOwner().getRepId()).isEqualTo("simon");
        assertThat(ownerReason(decision).getRule()).isEqualTo("enterprise-recommended");
    }

    @Test
    void aLeadThatAskedForScaleStaysAScaleCustomerWhenEnterpriseIsRecommended() {
        LeadRouted decision = driver.route(lead().us().interest(PlanInterest.SCALE).events(20_000_000L).technical(true).needs(Need.SSO).build());

        assertThat(decision.getRecommendedPlan()).isEqualTo(Plan.ENTERPRISE);
        assertThat(decision.getReasons().get(1).getRule()).isEqualTo("high-volume-more-technical-sso");
        assertThat(decision.getOwner().getRepId()).isEqualTo("cameron");
        assertThat(ownerReason(decision).getRule()).isEqualTo("scale-us");
    }

    @Test
    void anythingUnmatchedIsRoundRobinedOverTheTeamsAvailableReps() {
        LeadRouted first = driver.route(lead().build());
        LeadRouted second = driver.route(lead().build());

        assertThat(List.of(first.getOwner().getRepId(), second.getOwner().getRepId())).containsExactlyInAnyOrder("cameron", "simon");
        assertThat(ownerReason(first).getRule()).isEqualTo("round-robin");
        assertThat(ownerReason(first).getExplanation()).contains("weighted round robin over team cs");
    }

    // ---- Flags: What about Open Source? and the FAQ ----

    @Test
    void openSourceAppealsToSelfHostersHappyWithOneProjectAndCommunitySupport() {
        LeadRouted decision = driver.route(lead().interest(PlanInterest.OPEN_SOURCE).build());

        assertThat(flag(decision, "OPEN_SOURCE_INTEREST").getExplanation()).contains("one project", "community support");
        assertThat(decision.getRecommendedPlan()).isNotNull();
    }

    @Test
    void anMsaIsOnlyWorthTheLegalEffortFrom10kAMonth() {
        LeadRouted decision = driver.route(lead().needs(Need.MSA, Need.NON_STANDARD_BILLING).build());

        assertThat(decision.getPipeline()).isEqualTo(Pipeline.HANDS_ON);
        assertThat(flag(decision, "MSA_REQUESTED").getExplanation()).contains("$10k");
    }

    @Test
    void anAirGappedInstallLimitsProactiveSupportAndNeedsMonthlySelfReportedUsage() {
        LeadRouted decision = driver.route(lead().needs(Need.AIR_GAPPED, Need.SELF_HOSTING).build());

        assertThat(flag(decision, "AIR_GAPPED_INSTALL").getExplanation()).contains("proactive support", "self-report usage monthly");
    }

    @Test
    void knownUsersButUnknownEventsSuggestDownsamplingToOnePercentAndMultiplyingBy100() {
        LeadRouted decision = driver.route(lead().events(null).users(40_000L).build());

        assertThat(flag(decision, "ESTIMATE_EVENTS_BY_DOWNSAMPLING").getExplanation()).contains("40,000", "1% of users", "by 100");
    }

    @Test
    void knownEventsNeedNoDownsamplingFlag() {
        LeadRouted decision = driver.route(lead().events(3_000_000L).users(40_000L).build());

        assertThat(decision.getFlags()).extracting(RoutingFlag::getCode).doesNotContain("ESTIMATE_EVENTS_BY_DOWNSAMPLING");
    }

    @Test
    void aFree30DayTimeBoxedEvaluationIsForHandsOnOnly() {
        LeadRouted handsOn = driver.route(lead().interest(PlanInterest.ENTERPRISE).build());
        LeadRouted selfServe = driver.route(lead().build());

        assertThat(flag(handsOn, "FREE_EVALUATION_ELIGIBLE").getExplanation()).contains("30-day");
        assertThat(selfServe.getFlags()).extracting(RoutingFlag::getCode).doesNotContain("FREE_EVALUATION_ELIGIBLE");
    }

    // ---- FAQ answers, read from what the lead wrote ----

    @ParameterizedTest
    @ValueSource(strings = {
            "Hi! We love PostHog but Scale is steep for us. Is there any discount for early-stage startups?",
            "Could you do a better price if we commit to 20M events a month?",
            "Do you offer special pricing for non-profits?",
            "We would need 30% off to get this past finance.",
            "Before we sign, can we negotiate the pricing? Another vendor is cheaper."})
    void aScaleCustomerAskingForADiscountHearsThatUsagePricingIsAlreadyDiscountedAndBilledMonthToMonth(String message) {
        LeadRouted decision = driver.route(lead().interest(PlanInterest.SCALE).message(message).build());

        assertThat(flag(decision, "DISCOUNT_REQUESTED").getExplanation())
                .contains("don't discount", "heavily discounted at higher volumes", "month to month");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Can we get a free trial of the Scale plan for our team?",
            "Is there a trial licence for Scale so we can evaluate self-hosting?",
            "We'd like to try Scale for free before committing.",
            "Our engineers want to test it out before we buy anything."})
    void aScaleCustomerAskingForAFreeTrialHearsAboutTheMillionFreeMonthlyEventsInstead(String message) {
        LeadRouted decision = driver.route(lead().interest(PlanInterest.SCALE).message(message).build());

        assertThat(flag(decision, "FREE_TRIAL_REQUESTED").getExplanation()).contains("no need", "1 million free events a month on Scale or Cloud");
    }

    @Test
    void aHandsOnLeadAskingForAFreeTrialIsPointedAtThe30DayEvaluationNotTheFreeTier() {
        LeadRouted decision = driver.route(lead().interest(PlanInterest.ENTERPRISE).message("Can we get a free trial first?").build());

        assertThat(decision.getFlags()).extracting(RoutingFlag::getCode).contains("FREE_EVALUATION_ELIGIBLE").doesNotContain("FREE_TRIAL_REQUESTED");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "We self-host PostHog today; can we move our instance to PostHog Cloud?",
            "Is it possible to migrate from our open source install over to Cloud?",
            "How do we transfer our events from self-hosted to cloud without losing history?"})
    void movingFromSelfHostedToCloudHasNoEasyPathManualFromScaleRestartFromOpenSource(String message) {
        LeadRouted decision = driver.route(lead().message(message).build());

        assertThat(flag(decision, "SELF_HOSTED_TO_CLOUD").getExplanation())
                .contains("don't have an easy way", "Scale plan we can move them manually", "Open Source, suggest they restart on Cloud");
        assertThat(decision.getFlags()).extracting(RoutingFlag::getCode).doesNotContain("CLOUD_TO_SCALE");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "We're on PostHog Cloud and need to move to a self-hosted Scale instance for data residency.",
            "Can we migrate from Cloud to Scale and keep our dashboards?",
            "How would we export everything off your cloud onto our own servers?"})
    void movingFromCloudToScaleIsAWarehouseExportAndBulkImportThatLosesDashboards(String message) {
        LeadRouted decision = driver.route(lead().message(message).build());

        assertThat(flag(decision, "CLOUD_TO_SCALE").getExplanation())
                .contains("export all their data to a data warehouse", "bulk import", "lose their dashboards and configuration", "James H");
        assertThat(decision.getFlags()).extracting(RoutingFlag::getCode).doesNotContain("SELF_HOSTED_TO_CLOUD");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Could you give us a rough estimate of hosting costs if we self-host at around 40M events a month?",
            "What servers would we need to run PostHog ourselves for 20M events?",
            "How much would it cost to host PostHog on our own AWS account?",
            "What's the infrastructure cost of self-hosting compared to Cloud?"})
    void selfHostingCostEstimatesAreRoughFromTheirVolumesWithExpectationsSet(String message) {
        LeadRouted decision = driver.route(lead().events(40_000_000L).message(message).build());

        assertThat(flag(decision, "HOSTING_COST_ESTIMATE").getExplanation())
                .contains("rough estimate from their anticipated event volumes", "40,000,000", "manage expectations", "instability");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "We'd like to try product analytics and session replay for our web app.",
            "Evaluating a self-hosted setup; we need SSO and an MSA for procurement.",
            "Migrating from another tool, around 30 engineers, need project permissions.",
            "Open-source side project, one project, happy with community support.",
            "Please send the pricing for Cloud and Scale. How much does the Scale plan cost per month?",
            "We're moving our analytics to PostHog Cloud next quarter and want a demo for the team.",
            "Our team of 12 engineers wants to trial session replay on our staging cluster."})
    void aMessageThatAsksNoneOfTheFaqQuestionsGetsNoneOfTheirFlags(String message) {
        LeadRouted decision = driver.route(lead().interest(PlanInterest.SCALE).message(message).build());

        assertThat(decision.getFlags()).extracting(RoutingFlag::getCode).doesNotContainAnyElementsOf(FAQ_FLAGS);
    }

    @Test
    void onlyTheStartOfALongMessageIsRead() {
        String quotedThread = "> earlier thread\n".repeat(RulesLoader.MESSAGE_CHARS / 17 + 1);

        LeadRouted decision = driver.route(lead().message(quotedThread + "Is there any discount?").build());
        LeadRouted early = driver.route(lead().message("Is there any discount?\n" + quotedThread).build());

        assertThat(decision.getFlags()).extracting(RoutingFlag::getCode).doesNotContain("DISCOUNT_REQUESTED");
        assertThat(early.getFlags()).extracting(RoutingFlag::getCode).contains("DISCOUNT_REQUESTED");
    }

    // ---- Next steps ----

    @Test
    void selfServeNextStepsAreTheFollowUpEmailTheUserSlackAndCardDetailsForTheFreeTier() {
        LeadRouted decision = driver.route(lead().build());

        assertThat(String.join("\n", decision.getNextSteps())).contains("follow-up email", "user Slack", "card details", "1 million free");
    }

    @Test
    void handsOnNextStepsAreASlackConnectChannelAHandsOnDealAndTheKickOffAgenda() {
        LeadRouted decision = driver.route(lead().interest(PlanInterest.ENTERPRISE).build());

        assertThat(String.join("\n", decision.getNextSteps()))
                .contains("Slack Connect", "hands-on pipeline in HubSpot", "kick-off call", "event ingestion", "feature flags");
    }

    // ---- Reasons and the alert ----

    @Test
    void everyDecisionListsThePipelinePlanAndOwnerReasonsInOrder() {
        LeadRouted decision = driver.route(lead().us().events(60_000_000L).technical(true).build());

        assertThat(decision.getReasons()).extracting(RoutingReason::getRule)
                .containsExactly("over-50m-monthly-events", "high-volume-more-technical", "scale-us-recommended");
        assertThat(decision.getReasons()).allSatisfy(reason -> assertThat(reason.getExplanation()).doesNotContain("{"));
        assertThat(decision.getRulesVersion()).isEqualTo("handbook-2026.1");
        assertThat(decision.getLead().getLeadId()).isEqualTo(decision.getLeadId());
    }

    @Test
    void theDecisionCarriesTheCrmTasksOfItsPipelineInTheRulesWords() {
        LeadRouted selfServe = driver.route(lead().domain("acme.io").build());
        LeadRouted handsOn = driver.route(lead().domain("globex.io").interest(PlanInterest.ENTERPRISE).build());

        assertThat(selfServe.getTasks()).extracting(t -> t.getId() + "|" + t.getType() + "|" + t.getPriority() + "|" + t.getDue())
                .containsExactly("follow-up|EMAIL|MEDIUM|PT24H");
        assertThat(selfServe.getTasks().get(0).getSubject()).isEqualTo("Send follow-up email to acme.io");
        assertThat(selfServe.getTasks().get(0).getBody()).startsWith("After the initial call, send acme.io a follow-up email covering:");
        assertThat(handsOn.getTasks()).extracting(t -> t.getId() + "|" + t.getSubject() + "|" + t.getDue()).containsExactly(
                "slack-connect|Set up shared Slack Connect channel with globex.io|PT24H",
                "kick-off|Schedule kick-off call with globex.io|PT48H");
    }

    @Test
    void aBookedDemosDecisionCarriesTheDemoCallDueWhenItStartsWithItsTime() {
        LeadRouted decision = driver.route(lead().domain("initech.io").title("CTO")
                .demoAt("2026-01-05T15:00:00Z", "https://calendly.com/bookings/abc").build());

        assertThat(decision.getTasks()).last().satisfies(task -> {
            assertThat(task.getId()).isEqualTo("demo");
            assertThat(task.getDue()).isEqualTo("demoStart");
            assertThat(task.getSubject()).isEqualTo("Demo call with initech.io");
            assertThat(task.getBody()).startsWith("Jane Doe, CTO (someone@initech.io) booked a demo for 2026-01-05 15:00 UTC.\nBooking: https://calendly.com/bookings/abc\n");
        });
    }

    @Test
    void theOwnerGetsANewLeadAlertFollowingTheRepAlertsContract() {
        var lead = lead().us().interest(PlanInterest.ENTERPRISE).users(120_000L).events(60_000_000L).title("CTO")
                .demoAt("2026-01-05T15:00:00Z", "https://calendly.com/bookings/abc").build();

        LeadRouted decision = driver.route(lead);
        List<KeyValue<String, RepAlert>> alerts = driver.alerts();

        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).key).isEqualTo("simon");
        RepAlert alert = alerts.get(0).value;
        assertThat(alert.getAlertId()).isEqualTo("NEW_LEAD:" + lead.getLeadId());
        assertThat(alert.getSlackUserId()).isEqualTo("U00SIMON001");
        assertThat(alert.getChannel()).isNull();
        assertThat(alert.getTitle()).isEqualTo("New lead: " + lead.getContact().getCompanyName() + " → Hands-on");
        assertThat(alert.getFields()).extracting(f -> f.getLabel() + "=" + f.getValue()).containsExactly(
                "Company=" + lead.getContact().getCompanyName(),
                "Contact=Jane Doe, CTO <" + lead.getContact().getEmail() + ">",
                "Pipeline=Hands-on",
                "Plan interest=Enterprise",
                "Recommended plan=Enterprise",
                "Monthly active users=120,000",
                "Monthly events=60,000,000",
                "Region=US (US)",
                "Source=Demo at 2026-01-05 15:00 UTC");
        assertThat(alert.getReasons()).containsExactlyElementsOf(decision.getReasons().stream().map(RoutingReason::getExplanation).toList());
        assertThat(alert.getFlags()).containsExactlyElementsOf(decision.getFlags().stream().map(RoutingFlag::getExplanation).toList());
        assertThat(alert.getActions()).containsExactlyElementsOf(decision.getNextSteps());
        assertThat(alert.getLinks()).extracting(l -> l.getLabel() + "=" + l.getUrl()).containsExactly("Demo booking=https://calendly.com/bookings/abc");
        assertThat(alert.getLeadId()).isEqualTo(lead.getLeadId());
        assertThat(alert.getCreatedAt()).isEqualTo(decision.getRoutedAt());
        assertThat(alert.getLeadReceivedAt()).isEqualTo(lead.getReceivedAt());
    }

    @Test
    void anAlertLeavesOutWhatIsUnknownAndNamesTheEmailDomainWithoutACompany() {
        var lead = lead().domain("initech.io").events(null).build();

        driver.route(lead);
        RepAlert alert = driver.alerts().get(0).value;

        assertThat(alert.getTitle()).isEqualTo("New lead: initech.io → Self-serve");
        assertThat(alert.getFields()).extracting(f -> f.getLabel())
                .containsExactly("Company", "Contact", "Pipeline", "Recommended plan", "Region", "Source");
        assertThat(alert.getLinks()).isEmpty();
    }

    private static final List<String> FAQ_FLAGS = List.of("DISCOUNT_REQUESTED", "FREE_TRIAL_REQUESTED", "SELF_HOSTED_TO_CLOUD",
            "CLOUD_TO_SCALE", "HOSTING_COST_ESTIMATE");

    private static RoutingReason ownerReason(LeadRouted decision) {
        return decision.getReasons().get(2);
    }

    private static RoutingFlag flag(LeadRouted decision, String code) {
        return decision.getFlags().stream().filter(f -> f.getCode().equals(code)).findFirst()
                .orElseThrow(() -> new AssertionError("no flag " + code + " in " + decision.getFlags()));
    }
}
