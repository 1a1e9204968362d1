package io.leadflow.sandbox.hubspot;

import java.time.Duration;
import java.util.List;

/**
 * What the HubSpot sandbox portal looks like: its id, rate limits, deal pipelines and owners.
 *
 * @param portalId        the portal (account) id
 * @param rateLimit       requests per {@code rateWindow} (a private app's burst limit: 190 per 10 s)
 * @param rateWindow      the rolling window of {@code rateLimit}
 * @param searchRateLimit search requests per second
 * @param recordedCalls   how many recent calls are kept for the console
 * @param recordedBodyChars how much of each request and answer body a recorded call keeps (the console needs a glimpse;
 *                        a test reading what a client sent needs it whole)
 * @param pipelines       deal pipelines and their stages
 * @param owners          users that can own records
 */
public record HubSpotSandboxSettings(String portalId, int rateLimit, Duration rateWindow, int searchRateLimit, int recordedCalls,
                                     int recordedBodyChars,
                                     List<Pipeline> pipelines, List<Owner> owners) {

    public record Pipeline(String id, String label, List<Stage> stages) {
    }

    public record Stage(String id, String label, String probability, boolean closed) {
    }

    public record Owner(String id, String email, String firstName, String lastName) {
    }

    public HubSpotSandboxSettings withPipelines(List<Pipeline> pipelines) {
        return new HubSpotSandboxSettings(portalId, rateLimit, rateWindow, searchRateLimit, recordedCalls, recordedBodyChars, pipelines, owners);
    }

    /** {@code rateLimit} requests per rolling {@code rateWindow}, e.g. fewer than HubSpot's 190 per 10 s for a test. */
    public HubSpotSandboxSettings withRateLimit(int rateLimit, Duration rateWindow) {
        return new HubSpotSandboxSettings(portalId, rateLimit, rateWindow, searchRateLimit, recordedCalls, recordedBodyChars, pipelines, owners);
    }

    /** Keeps the last {@code calls} calls, each with up to {@code bodyChars} characters of its request and answer. */
    public HubSpotSandboxSettings withRecording(int calls, int bodyChars) {
        return new HubSpotSandboxSettings(portalId, rateLimit, rateWindow, searchRateLimit, calls, bodyChars, pipelines, owners);
    }

    /** {@code perSecond} search requests a second (HubSpot's is 5). */
    public HubSpotSandboxSettings withSearchRateLimit(int perSecond) {
        return new HubSpotSandboxSettings(portalId, rateLimit, rateWindow, perSecond, recordedCalls, recordedBodyChars, pipelines, owners);
    }

    public HubSpotSandboxSettings withPortalId(String portalId) {
        return new HubSpotSandboxSettings(portalId, rateLimit, rateWindow, searchRateLimit, recordedCalls, recordedBodyChars, pipelines, owners);
    }

    public HubSpotSandboxSettings withOwners(List<Owner> owners) {
        return new HubSpotSandboxSettings(portalId, rateLimit, rateWindow, searchRateLimit, recordedCalls, recordedBodyChars, pipelines, owners);
    }

    /** HubSpot's default sales pipeline, the two Leadflow pipelines and the two reps of the handbook. */
    public static HubSpotSandboxSettings defaults() {
        Pipeline sales = new Pipeline("default", "Sales Pipeline", List.of(
                new Stage("appointmentscheduled", "Appointment Scheduled", "0.2", false),
                new Stage("qualifiedtobuy", "Qualified To Buy", "0.4", false),
                new Stage("presentationscheduled", "Presentation Scheduled", "0.6", false),
                new Stage("decisionmakerboughtin", "Decision Maker Bought-In", "0.8", false),
                new Stage("contractsent", "Contract Sent", "0.9", false),
                new Stage("closedwon", "Closed Won", "1.0", true),
                new Stage("closedlost", "Closed Lost", "0.0", true)));
        return new HubSpotSandboxSettings("4000001", 190, Duration.ofSeconds(10), 5, 2000, 300, List.of(sales), List.of(
                new Owner("100000001", "cameron@example.com", "Cameron", "Rep"),
                new Owner("100000002", "simon@example.com", "Simon", "Rep")));
    }
}
