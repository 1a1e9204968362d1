package io.leadflow.notifier.slack;

/**
 * What Slack answered to {@code chat.postMessage}.
 *
 * @param channel the conversation the message is in (a {@code D...} id when posted to a user id)
 * @param ts      the message's timestamp, Slack's id for it
 */
public record SlackPost(String channel, String ts) {
}
