package io.leadflow.sandbox.hubspot;

import io.leadflow.sandbox.RecordedCall;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The most recent calls, for the console and tests, and how many each endpoint got since start (or the last {@link #clear}). */
final class CallLog {

    private final int capacity;
    private final int bodyChars;
    private final Deque<RecordedCall> calls = new ArrayDeque<>();
    private final Map<String, Long> counts = new LinkedHashMap<>();

    CallLog(int capacity, int bodyChars) {
        this.capacity = capacity;
        this.bodyChars = bodyChars;
    }

    /** How many characters of a body a recorded call keeps. */
    int bodyChars() {
        return bodyChars;
    }

    synchronized void record(RecordedCall call) {
        calls.addLast(call);
        while (calls.size() > capacity) {
            calls.removeFirst();
        }
        counts.merge(call.method() + " " + template(call.path()), 1L, Long::sum);
    }

    synchronized List<RecordedCall> newestFirst(int limit) {
        List<RecordedCall> list = new ArrayList<>(calls);
        Collections.reverse(list);
        return list.stream().limit(limit).toList();
    }

    synchronized Map<String, Long> counts() {
        return new LinkedHashMap<>(counts);
    }

    synchronized void clear() {
        calls.clear();
        counts.clear();
    }

    /** The path with ids replaced, so call counts group by endpoint. */
    static String template(String path) {
        return path.replaceAll("/\\d+(?=/|$)", "/{id}").replaceAll("/[^/]+@[^/]+", "/{id}");
    }

    String shorten(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > bodyChars ? text.substring(0, bodyChars) + "…" : text;
    }
}
