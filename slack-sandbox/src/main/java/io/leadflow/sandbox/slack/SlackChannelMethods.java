package io.leadflow.sandbox.slack;

import io.leadflow.sandbox.slack.SlackSandbox.Answer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.leadflow.sandbox.slack.SlackSandbox.JSON;
import static io.leadflow.sandbox.slack.SlackSandbox.fail;
import static io.leadflow.sandbox.slack.SlackSandbox.ok;

/**
 * The {@code conversations.*} methods that make a channel and share it, as Slack documents them: create, invite, Slack
 * Connect's inviteShared, list and info, over the sandbox's channels. Callers hold the sandbox's lock.
 */
final class SlackChannelMethods {

    private final SlackMessageStore store;
    private final Map<String, String> users;
    private final SlackMethods methods;
    /** Whether the workspace is on a paid plan with Slack Connect; a free one answers {@code not_paid} to invites. */
    private boolean slackConnect = true;

    SlackChannelMethods(SlackMessageStore store, Map<String, String> users, SlackMethods methods) {
        this.store = store;
        this.users = users;
        this.methods = methods;
    }

    /** A free workspace (false) has no Slack Connect: {@code conversations.inviteShared} answers {@code not_paid}. */
    void slackConnect(boolean available) {
        this.slackConnect = available;
    }

    /**
     * {@code conversations.create} as Slack documents it (https://docs.slack.dev/reference/methods/conversations.create):
     * "Channel names may only contain lowercase letters, numbers, hyphens, and underscores, and must be 80 characters or
     * less", always validated: {@code invalid_name_required} (empty), {@code invalid_name_maxlength},
     * {@code invalid_name_specials} (another character, upper case included), {@code invalid_name_punctuation} (only
     * hyphens and underscores), {@code name_taken}. The bot creates it and is its one member; {@code is_private}
     * makes it private. Answers the conversation object.
     */
    Answer create(ObjectNode args, Instant now) {
        String name = args.path("name").asString("");
        if (name.isEmpty()) {
            return fail("invalid_name_required");
        }
        if (name.length() > 80) {
            return fail("invalid_name_maxlength");
        }
        boolean onlyPunctuation = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean letterOrDigit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!letterOrDigit && c != '-' && c != '_') {
                return fail("invalid_name_specials");
            }
            onlyPunctuation &= !letterOrDigit;
        }
        if (onlyPunctuation) {
            return fail("invalid_name_punctuation");
        }
        if (store.channelNamed(name) != null) {
            return fail("name_taken");
        }
        boolean isPrivate = args.path("is_private").asBoolean(false) || "true".equals(args.path("is_private").asString(""));
        String id = (isPrivate ? "G" : "C") + methods.randomId(10).toUpperCase(Locale.ROOT);
        ObjectNode channel = JSON.createObjectNode();
        channel.put("id", id);
        channel.put("name", name);
        channel.put("is_channel", !isPrivate);
        channel.put("is_group", isPrivate);
        channel.put("is_im", false);
        channel.put("created", now.getEpochSecond());
        channel.put("creator", SlackMethods.BOT_USER);
        channel.put("is_archived", false);
        channel.put("is_general", false);
        channel.put("unlinked", 0);
        channel.put("name_normalized", name);
        channel.put("is_shared", false);
        channel.put("is_ext_shared", false);
        channel.put("is_org_shared", false);
        channel.putArray("pending_shared");
        channel.put("is_pending_ext_shared", false);
        channel.put("is_member", true);
        channel.put("is_private", isPrivate);
        channel.put("is_mpim", false);
        channel.putObject("topic").put("value", "").put("creator", "").put("last_set", 0);
        channel.putObject("purpose").put("value", "").put("creator", "").put("last_set", 0);
        channel.putArray("previous_names");
        channel.putArray("members").add(SlackMethods.BOT_USER);
        channel.putArray("invites");
        store.putChannel(channel);
        return ok(o -> o.set("channel", conversation(channel)));
    }

    /**
     * {@code conversations.invite} as Slack documents it (https://docs.slack.dev/reference/methods/conversations.invite):
     * {@code users} a comma-separated list of user ids, {@code force} to invite the valid ones and pass over the others.
     * Errors {@code channel_not_found}, {@code no_user}, {@code user_not_found}, {@code cant_invite_self},
     * {@code already_in_channel} (each but the first also listed in {@code errors} with the user it is about),
     * {@code not_in_channel} (the bot is not in it). Answers the conversation object.
     */
    Answer invite(ObjectNode args) {
        ObjectNode channel = store.channel(args.path("channel").asString("").trim());
        if (channel == null) {
            return fail("channel_not_found");
        }
        if (!hasMember(channel, SlackMethods.BOT_USER)) {
            return fail("not_in_channel");
        }
        List<String> invited = new ArrayList<>();
        for (String user : args.path("users").asString("").split(",", -1)) {
            if (!user.isBlank()) {
                invited.add(user.trim());
            }
        }
        if (invited.isEmpty()) {
            return fail("no_user");
        }
        boolean force = args.path("force").asBoolean(false) || "true".equals(args.path("force").asString(""));
        ArrayNode errors = JSON.createArrayNode();
        List<String> valid = new ArrayList<>();
        for (String user : invited) {
            String error = user.equals(SlackMethods.BOT_USER) ? "cant_invite_self"
                    : !users.containsKey(user) ? "user_not_found"
                    : hasMember(channel, user) ? "already_in_channel" : null;
            if (error != null) {
                errors.addObject().put("user", user).put("ok", false).put("error", error);
            } else if (!valid.contains(user)) {
                valid.add(user);
            }
        }
        if (!errors.isEmpty() && !force) {
            ObjectNode body = JSON.createObjectNode().put("ok", false).put("error", errors.get(0).path("error").asString());
            body.set("errors", errors);
            return new Answer(200, body, Map.of());
        }
        ArrayNode members = (ArrayNode) channel.path("members");
        valid.forEach(members::add);
        store.putChannel(channel);
        return ok(o -> {
            o.set("channel", conversation(channel));
            if (!errors.isEmpty()) {
                o.set("errors", errors);
            }
        });
    }

    /**
     * {@code conversations.inviteShared} as Slack documents it
     * (https://docs.slack.dev/reference/methods/conversations.inviteShared): {@code channel} and either {@code emails} or
     * {@code user_ids} (arrays, or comma-separated in a form), only one recipient at a time; {@code external_limited}
     * defaults to true. Answers {@code invite_id} and {@code is_legacy_shared_channel}. Errors {@code channel_not_found},
     * {@code recipients_not_specified} (a bot must name who), {@code too_many_emails}, {@code invalid_email},
     * {@code user_not_found}, {@code not_paid} (a free workspace: Slack Connect is for paid teams),
     * {@code cannot_share_mandatory_channel}; a token type, scope or team preference that does not allow it
     * ({@code not_allowed_token_type}, {@code missing_scope}, {@code restricted_action}) is set as a fault.
     */
    Answer inviteShared(ObjectNode args, Instant now) {
        ObjectNode channel = store.channel(args.path("channel").asString("").trim());
        if (channel == null) {
            return fail("channel_not_found");
        }
        if (!slackConnect) {
            return fail("not_paid");
        }
        List<String> emails = strings(args.path("emails"));
        List<String> userIds = strings(args.path("user_ids"));
        if (emails.isEmpty() && userIds.isEmpty()) {
            return fail("recipients_not_specified");
        }
        if (emails.size() + userIds.size() > 1) {
            return fail(emails.size() > 1 ? "too_many_emails" : "invalid_arguments");
        }
        String email = emails.isEmpty() ? null : emails.get(0);
        if (email != null && !plausibleEmail(email)) {
            return fail("invalid_email");
        }
        String userId = userIds.isEmpty() ? null : userIds.get(0);
        if (userId != null && !userId.startsWith("U") && !userId.startsWith("W")) {
            return fail("user_not_found");
        }
        boolean limited = !(args.path("external_limited").isBoolean() ? !args.path("external_limited").asBoolean()
                : "false".equals(args.path("external_limited").asString("")));
        String inviteId = "I" + methods.randomId(10).toUpperCase(Locale.ROOT);
        ObjectNode invite = ((ArrayNode) channel.path("invites")).addObject();
        invite.put("invite_id", inviteId);
        if (email != null) {
            invite.put("email", email);
        } else {
            invite.put("user_id", userId);
        }
        invite.put("external_limited", limited);
        invite.put("date_created", now.getEpochSecond());
        channel.put("is_pending_ext_shared", true);
        store.putChannel(channel);
        return ok(o -> o.put("invite_id", inviteId).put("is_legacy_shared_channel", false));
    }

    /**
     * {@code conversations.list} as Slack documents it (https://docs.slack.dev/reference/methods/conversations.list): the
     * created channels, oldest first, {@code limit} a page (default 100, at most 1000) and {@code cursor} the next one
     * ({@code response_metadata.next_cursor}, empty on the last page); {@code types} {@code public_channel} (the
     * default) and/or {@code private_channel}; {@code exclude_archived}.
     */
    Answer list(ObjectNode args) {
        String types = args.path("types").asString("public_channel");
        boolean publicChannels = types.isBlank() || types.contains("public_channel");
        boolean privateChannels = types.contains("private_channel");
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode channel : store.channels()) {
            boolean isPrivate = channel.path("is_private").asBoolean(false);
            if (isPrivate ? privateChannels : publicChannels) {
                matching.add(channel);
            }
        }
        int limit = Math.max(1, Math.min(1000, SlackMethods.intArg(args, "limit", 100)));
        String cursor = args.path("cursor").asString("");
        int start;
        try {
            start = cursor.isBlank() ? 0 : Integer.parseInt(cursor.replace("bmV4dF9", ""));
        } catch (NumberFormatException e) {
            return fail("invalid_cursor");
        }
        ArrayNode page = JSON.createArrayNode();
        matching.stream().skip(start).limit(limit).forEach(c -> page.add(conversation(c)));
        boolean more = start + limit < matching.size();
        return ok(o -> {
            o.set("channels", page);
            o.putObject("response_metadata").put("next_cursor", more ? "bmV4dF9" + (start + limit) : "");
        });
    }

    /** {@code conversations.info} (https://docs.slack.dev/reference/methods/conversations.info): one created channel. */
    Answer info(ObjectNode args) {
        ObjectNode channel = store.channel(args.path("channel").asString("").trim());
        if (channel == null) {
            return fail("channel_not_found");
        }
        return ok(o -> o.set("channel", conversation(channel)));
    }

    /** The conversation object Slack answers: the channel without the sandbox's own members and invites lists. */
    private static ObjectNode conversation(ObjectNode channel) {
        ObjectNode copy = channel.deepCopy();
        copy.remove("members");
        copy.remove("invites");
        copy.put("num_members", channel.path("members").size());
        return copy;
    }

    static boolean hasMember(ObjectNode channel, String user) {
        for (JsonNode member : channel.path("members")) {
            if (member.asString("").equals(user)) {
                return true;
            }
        }
        return false;
    }

    /** An array argument: a JSON array, or a comma-separated string as a form sends it. */
    private static List<String> strings(JsonNode value) {
        List<String> out = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(v -> {
                if (!v.asString("").isBlank()) {
                    out.add(v.asString().trim());
                }
            });
        } else if (value.isString()) {
            for (String part : value.asString().split(",", -1)) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    /** One {@code @} with something either side and a dot in the domain: enough to refuse what Slack would. */
    private static boolean plausibleEmail(String email) {
        int at = email.indexOf('@');
        return at > 0 && at == email.lastIndexOf('@') && email.indexOf('.', at) > at + 1 && !email.endsWith(".");
    }
}
