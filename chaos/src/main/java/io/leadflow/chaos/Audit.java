package io.leadflow.chaos;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What the sinks hold for the leads lead-intake acknowledged, read through the sandboxes' own APIs as an operator
 * would read HubSpot and Slack: HubSpot contacts (by email), companies (by domain), deals (by {@code leadflow_lead_id}),
 * notes ({@code leadflow_key} {@code note:<leadId>}) and tasks ({@code task:<leadId>:…}); Slack messages naming the
 * lead's new-lead alert ({@code NEW_LEAD:<leadId>}) in their metadata. A lead is lost in a sink when it has nothing
 * there, duplicated when it has more than one of a thing (for tasks: one key twice).
 */
final class Audit {

    /** One sink's count: leads expected, leads found, lost, duplicated, and a few examples of each. */
    record Sink(String name, int expected, int found, int lost, int duplicated, List<String> lostExamples, List<String> duplicatedExamples) {

        boolean clean() {
            return lost == 0 && duplicated == 0;
        }
    }

    /** A lead as the audit knows it: its id and the person and company it was sent for. */
    record Lead(String leadId, String email, String domain) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The Slack member ids of the reps of routing's default rules, whose DMs get the new-lead alerts. */
    static final List<String> SLACK_REPS = List.of("U00CAMERON1", "U00SIMON001", "U00SALES001");
    static final List<String> SINKS = List.of("hubspot contacts", "hubspot companies", "hubspot deals", "hubspot notes", "hubspot tasks",
            "slack new-lead alerts");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String hubspotUrl;
    private final String slackUrl;

    Audit(String hubspotUrl, String slackUrl) {
        this.hubspotUrl = hubspotUrl;
        this.slackUrl = slackUrl;
    }

    /** Every sink's count for these leads, read now. */
    List<Sink> check(Collection<Lead> leads) {
        List<Sink> sinks = new ArrayList<>();
        sinks.add(count("hubspot contacts", leads, Lead::email, property(objects("contacts"), "email")));
        sinks.add(count("hubspot companies", leads, Lead::domain, property(objects("companies"), "domain")));
        sinks.add(count("hubspot deals", leads, Lead::leadId, property(objects("deals"), "leadflow_lead_id")));
        sinks.add(count("hubspot notes", leads, l -> "note:" + l.leadId(), property(objects("notes"), "leadflow_key")));
        sinks.add(tasks(leads, property(objects("tasks"), "leadflow_key")));
        sinks.add(count("slack new-lead alerts", leads, l -> "NEW_LEAD:" + l.leadId(), slackAlerts()));
        return sinks;
    }

    private static Sink count(String name, Collection<Lead> leads, Function<Lead, String> key, Map<String, Integer> counts) {
        int found = 0;
        List<String> lost = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        for (Lead lead : leads) {
            int n = counts.getOrDefault(key.apply(lead), 0);
            if (n == 0) {
                lost.add(lead.leadId());
            } else {
                found++;
                if (n > 1) {
                    duplicated.add(lead.leadId() + " ×" + n);
                }
            }
        }
        return new Sink(name, leads.size(), found, lost.size(), duplicated.size(), first(lost), first(duplicated));
    }

    /** Every lead has at least one task (the handbook's follow-up, or kick-off and Slack Connect), and no task key twice. */
    private static Sink tasks(Collection<Lead> leads, Map<String, Integer> byKey) {
        Map<String, List<Integer>> perLead = new HashMap<>();
        byKey.forEach((key, n) -> {
            if (key.startsWith("task:")) {
                int end = key.indexOf(':', 5);
                perLead.computeIfAbsent(end < 0 ? key.substring(5) : key.substring(5, end), k -> new ArrayList<>()).add(n);
            }
        });
        int found = 0;
        List<String> lost = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        for (Lead lead : leads) {
            List<Integer> counts = perLead.getOrDefault(lead.leadId(), List.of());
            if (counts.isEmpty()) {
                lost.add(lead.leadId());
            } else {
                found++;
                if (counts.stream().anyMatch(n -> n > 1)) {
                    duplicated.add(lead.leadId() + " " + counts);
                }
            }
        }
        return new Sink("hubspot tasks", leads.size(), found, lost.size(), duplicated.size(), first(lost), first(duplicated));
    }

    /** Objects of a type, all pages of {@code GET /crm/v3/objects/{type}}. */
    private List<JsonNode> objects(String type) {
        List<JsonNode> all = new ArrayList<>();
        String after = null;
        do {
            String url = hubspotUrl + "/crm/v3/objects/" + type + "?limit=100&properties=email,domain,leadflow_lead_id,leadflow_key"
                    + (after == null ? "" : "&after=" + after);
            JsonNode page = get(url, "Bearer " + Stack.HUBSPOT_TOKEN);
            page.path("results").forEach(all::add);
            after = page.path("paging").path("next").path("after").asString(null);
        } while (after != null);
        return all;
    }

    private static Map<String, Integer> property(List<JsonNode> objects, String name) {
        Map<String, Integer> counts = new HashMap<>();
        for (JsonNode o : objects) {
            String value = o.path("properties").path(name).asString(null);
            if (value != null) {
                counts.merge(value, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Alert id → messages naming it, over the DMs of the reps (where new-lead alerts go without a channel set). */
    private Map<String, Integer> slackAlerts() {
        Map<String, Integer> counts = new HashMap<>();
        for (String user : SLACK_REPS) {
            String channel = slack("conversations.open", "users=" + user).path("channel").path("id").asString();
            String cursor = "";
            do {
                JsonNode page = slack("conversations.history", "channel=" + channel + "&limit=200&include_all_metadata=true"
                        + (cursor.isEmpty() ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
                for (JsonNode message : page.path("messages")) {
                    JsonNode payload = message.path("metadata").path("event_payload");
                    Set<String> ids = new LinkedHashSet<>();
                    if (payload.hasNonNull("alertId")) {
                        ids.add(payload.path("alertId").asString());
                    }
                    payload.path("alerts").forEach(a -> ids.add(a.path("alertId").asString()));
                    ids.forEach(id -> counts.merge(id, 1, Integer::sum));
                }
                cursor = page.path("response_metadata").path("next_cursor").asString("");
            } while (!cursor.isEmpty());
        }
        return counts;
    }

    private JsonNode slack(String method, String query) {
        JsonNode answer = get(slackUrl + "/" + method + "?" + query, "Bearer " + Stack.SLACK_TOKEN);
        if (!answer.path("ok").asBoolean(false)) {
            throw new IllegalStateException("Slack sandbox " + method + ": " + answer);
        }
        return answer;
    }

    private JsonNode get(String url, String authorization) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", authorization).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 429) {
                throw new RateLimited(url);
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + url + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + url + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The sandbox's rate limit answered: read again a little later. */
    static final class RateLimited extends RuntimeException {
        RateLimited(String url) {
            super("429 from " + url);
        }
    }

    private static List<String> first(List<String> items) {
        return List.copyOf(items.subList(0, Math.min(5, items.size())));
    }

    static Map<String, Object> asMap(Sink sink) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("sink", sink.name());
        map.put("expected", sink.expected());
        map.put("found", sink.found());
        map.put("lost", sink.lost());
        map.put("duplicated", sink.duplicated());
        map.put("lostExamples", sink.lostExamples());
        map.put("duplicatedExamples", sink.duplicatedExamples());
        return map;
    }
}
