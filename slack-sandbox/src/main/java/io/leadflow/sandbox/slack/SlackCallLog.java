package io.leadflow.sandbox.slack;

import io.leadflow.sandbox.RecordedCall;
import io.leadflow.sandbox.slack.SlackSandbox.SlackCall;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/**
 * The most recent calls the Slack sandbox answered, in full, and shortened for the console. Callers hold the sandbox's lock.
 */
final class SlackCallLog {

    private final int capacity;
    private final Deque<SlackCall> calls = new ArrayDeque<>();

    /** @param capacity how many of the most recent calls are kept */
    SlackCallLog(int capacity) {
        this.capacity = capacity;
    }

    void record(SlackCall call) {
        calls.addLast(call);
        while (calls.size() > capacity) {
            calls.removeFirst();
        }
    }

    /** The calls kept, oldest first. */
    List<SlackCall> all() {
        return new ArrayList<>(calls);
    }

    void clear() {
        calls.clear();
    }

    /**
     * What is kept of an answer: a page of messages or channels only as its size ({@code "messages": 200} instead of
     * the array), since a busy workspace's pages, kept for thousands of calls, would fill the heap.
     */
    static JsonNode kept(JsonNode answer) {
        if (!(answer instanceof ObjectNode o) || !(o.path("messages").isArray() || o.path("channels").isArray())) {
            return answer;
        }
        ObjectNode kept = o.objectNode();
        o.properties().forEach(e -> {
            if ((e.getKey().equals("messages") || e.getKey().equals("channels")) && e.getValue().isArray()) {
                kept.put(e.getKey(), e.getValue().size());
            } else {
                kept.set(e.getKey(), e.getValue());
            }
        });
        return kept;
    }

    /** The arguments as they are kept and shown: a {@code token} argument masked, like every token in Leadflow's logs. */
    static ObjectNode withoutToken(ObjectNode arguments) {
        ObjectNode copy = arguments.deepCopy();
        if (copy.has("token")) {
            copy.put("token", "***");
        }
        return copy;
    }

    /** The newest {@code limit} of these calls (given oldest first), newest first, shortened as the console shows them. */
    static List<RecordedCall> forConsole(List<SlackCall> oldestFirst, int limit) {
        List<SlackCall> list = new ArrayList<>(oldestFirst);
        Collections.reverse(list);
        return list.stream().limit(limit).map(c -> new RecordedCall(c.at(), c.httpMethod(), "/" + c.method(), c.status(),
                shorten(c.arguments().toString()), shorten(c.answer().toString()))).toList();
    }

    private static String shorten(String text) {
        return text.length() > 400 ? text.substring(0, 400) + "…" : text;
    }
}
