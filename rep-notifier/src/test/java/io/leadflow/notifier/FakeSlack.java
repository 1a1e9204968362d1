package io.leadflow.notifier;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * A WireMock Slack workspace with a memory: {@code chat.postMessage} keeps every message (metadata included) in its
 * conversation, {@code conversations.history} answers from them newest first, {@code conversations.open} gives a user's
 * DM. It can hold the answer to chosen posts, to stand for a notifier that dies while Slack is answering: either Slack
 * has the message already (the post reached it) or it never will (the post died on the way).
 */
public final class FakeSlack implements ResponseDefinitionTransformerV2 {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WireMockServer server;
    private final List<ObjectNode> messages = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger held = new AtomicInteger();
    private volatile Predicate<JsonNode> hold = body -> false;
    private volatile boolean heldPostsReachSlack;
    private long lastTsMicros;

    public FakeSlack() {
        server = new WireMockServer(wireMockConfig().dynamicPort().containerThreads(20).extensions(this));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers(getName())));
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    /**
     * From now on, posts matching {@code which} get no answer until {@link #stop}: with {@code reachSlack} the message
     * is in the conversation all the same (the notifier dies after Slack took it), without it never is.
     */
    public void holdPosts(Predicate<JsonNode> which, boolean reachSlack) {
        heldPostsReachSlack = reachSlack;
        hold = which;
    }

    /** Later posts are answered again; posts already held stay held. */
    public void answerPosts() {
        hold = body -> false;
    }

    /** Posts waiting for an answer that will never come while the test runs. */
    public int held() {
        return held.get();
    }

    /** Every message in the workspace, oldest first. */
    public synchronized List<JsonNode> messages() {
        return List.copyOf(messages);
    }

    /** The messages whose metadata names {@code alertId}, alone or in a digest's list. */
    public List<JsonNode> messagesWith(String alertId) {
        return messages().stream().filter(m -> alertIds(m).contains(alertId)).toList();
    }

    public static List<String> alertIds(JsonNode message) {
        JsonNode payload = message.path("metadata").path("event_payload");
        List<String> ids = new ArrayList<>();
        if (payload.path("alerts").isArray()) {
            payload.path("alerts").forEach(a -> ids.add(a.path("alertId").asString("")));
        } else if (payload.has("alertId")) {
            ids.add(payload.path("alertId").asString(""));
        }
        return ids;
    }

    public void stop() {
        release.countDown();
        server.stop();
    }

    @Override
    public String getName() {
        return "fake-slack";
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        LoggedRequest request = event.getRequest();
        String path = request.getUrl().split("\\?")[0];
        return switch (path) {
            case "/chat.postMessage" -> post(JSON.readTree(request.getBodyAsString()));
            case "/conversations.history" -> history(request.queryParameter("channel").firstValue(),
                    new BigDecimal(request.queryParameter("oldest").firstValue()));
            case "/conversations.open" -> ok(JSON.createObjectNode().put("ok", true).set("channel",
                    JSON.createObjectNode().put("id", conversation(JSON.readTree(request.getBodyAsString()).path("users").asString()))));
            default -> ok(JSON.createObjectNode().put("ok", false).put("error", "unknown_method"));
        };
    }

    private ResponseDefinition post(JsonNode body) {
        boolean holding = hold.test(body);
        ObjectNode stored = null;
        if (!holding || heldPostsReachSlack) {
            stored = store(body);
        }
        if (holding) {
            held.incrementAndGet();
            awaitRelease();
            return ok(JSON.createObjectNode().put("ok", false).put("error", "internal_error"));
        }
        return ok(JSON.createObjectNode().put("ok", true).put("channel", stored.path("channel").asString())
                .put("ts", stored.path("ts").asString()));
    }

    private synchronized ObjectNode store(JsonNode body) {
        ObjectNode message = JSON.createObjectNode();
        message.put("type", "message");
        message.put("channel", conversation(body.path("channel").asString()));
        message.put("ts", nextTs());
        message.put("text", body.path("text").asString(""));
        message.set("blocks", body.path("blocks"));
        message.set("metadata", body.path("metadata"));
        messages.add(message);
        return message;
    }

    private synchronized ResponseDefinition history(String channel, BigDecimal oldest) {
        ArrayNode found = JSON.createArrayNode();
        for (int i = messages.size() - 1; i >= 0; i--) {
            ObjectNode message = messages.get(i);
            if (message.path("channel").asString().equals(conversation(channel))
                    && new BigDecimal(message.path("ts").asString()).compareTo(oldest) >= 0) {
                found.add(message);
            }
        }
        ObjectNode answer = JSON.createObjectNode().put("ok", true).put("has_more", false);
        answer.set("messages", found);
        return ok(answer);
    }

    private void awaitRelease() {
        try {
            release.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String nextTs() {
        Instant now = Instant.now();
        lastTsMicros = Math.max(now.getEpochSecond() * 1_000_000 + now.getNano() / 1000, lastTsMicros + 1);
        return String.format(Locale.ROOT, "%d.%06d", lastTsMicros / 1_000_000, lastTsMicros % 1_000_000);
    }

    /** A user id posts to the user's DM with the bot ({@code D...}); anything else is a conversation id. */
    private static String conversation(String channel) {
        return channel.startsWith("U") || channel.startsWith("W") ? "D" + channel.substring(1) : channel;
    }

    private static ResponseDefinition ok(JsonNode body) {
        return new ResponseDefinitionBuilder().withStatus(200).withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody(body.toString()).build();
    }
}
