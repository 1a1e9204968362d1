package io.leadflow.routing.topology;

import io.leadflow.platform.streams.StateJson;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link SlaState} in the SLA store and its changelog as a compact binary record: a format byte, then every field in
 * declaration order (strings as UTF-8 with their length, absent values marked). It is read and written on every
 * decision and every fired clock on the single routing lane, where JSON's field names and number text cost more than
 * the state itself.
 * <p>
 * A value whose first byte is {@code '{'} is the JSON ({@link StateJson}) that earlier releases wrote: stores and
 * changelogs kept over an upgrade still read, and a clock is rewritten in this format the next time it changes.
 * Releases before this one cannot read this format, so a downgrade needs the routing task's state rebuilt.
 */
final class SlaStateSerde implements Serde<SlaState> {

    /** The first byte of this format; JSON always starts with {@code '{'}. */
    static final byte FORMAT = 1;

    private static final byte[] STATUS = new byte[SlaState.Status.values().length];
    private static final Deserializer<SlaState> JSON = StateJson.serde(SlaState.class).deserializer();

    static {
        // fixed codes, so a reordered enum cannot change what stored bytes mean
        STATUS[SlaState.Status.WAITING.ordinal()] = 0;
        STATUS[SlaState.Status.ACCEPTED.ordinal()] = 1;
        STATUS[SlaState.Status.BREACHED.ordinal()] = 2;
    }

    @Override
    public Serializer<SlaState> serializer() {
        return (topic, state) -> state == null ? null : write(state);
    }

    @Override
    public Deserializer<SlaState> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static byte[] write(SlaState state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 + 96 * state.history().size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            string(out, state.leadId());
            string(out, state.policy());
            out.writeInt(state.version());
            out.writeByte(STATUS[state.status().ordinal()]);
            out.writeLong(state.clockStartedAt());
            optional(out, state.remindAt());
            optional(out, state.acceptBy());
            out.writeInt(state.reassignments());
            strings(out, state.heldBy());
            string(out, state.acceptedBy());
            optional(out, state.acceptedAt());
            string(out, state.acceptedVia());
            out.writeBoolean(state.credited());
            out.writeInt(state.history().size());
            for (SlaState.Event event : state.history()) {
                out.writeLong(event.at());
                string(out, event.event());
                out.writeInt(event.version());
                string(out, event.repId());
                string(out, event.detail());
            }
            strings(out, state.seen());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static SlaState read(byte[] bytes) {
        if (bytes.length > 0 && bytes[0] == '{') {
            return JSON.deserialize(null, bytes);
        }
        if (bytes.length == 0 || bytes[0] != FORMAT) {
            throw new SerializationException("Not an SLA state (format byte " + (bytes.length == 0 ? "missing" : bytes[0]) + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 1, bytes.length - 1))) {
            String leadId = string(in);
            String policy = string(in);
            int version = in.readInt();
            SlaState.Status status = status(in.readByte());
            long clockStartedAt = in.readLong();
            Long remindAt = optional(in);
            Long acceptBy = optional(in);
            int reassignments = in.readInt();
            List<String> heldBy = strings(in);
            String acceptedBy = string(in);
            Long acceptedAt = optional(in);
            String acceptedVia = string(in);
            boolean credited = in.readBoolean();
            int events = count(in);
            List<SlaState.Event> history = new ArrayList<>(events);
            for (int i = 0; i < events; i++) {
                history.add(new SlaState.Event(in.readLong(), string(in), in.readInt(), string(in), string(in)));
            }
            List<String> seen = strings(in);
            return new SlaState(leadId, policy, version, status, clockStartedAt, remindAt, acceptBy, reassignments, heldBy, acceptedBy,
                    acceptedAt, acceptedVia, credited, history, seen);
        } catch (IOException e) {
            throw new SerializationException("A truncated SLA state of " + bytes.length + " bytes", e);
        }
    }

    private static SlaState.Status status(byte code) {
        for (SlaState.Status status : SlaState.Status.values()) {
            if (STATUS[status.ordinal()] == code) {
                return status;
            }
        }
        throw new SerializationException("Unknown SLA status code " + code);
    }

    private static void string(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String string(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        if (length > in.available()) {
            throw new SerializationException("An SLA state string of " + length + " bytes where " + in.available() + " are left");
        }
        byte[] utf8 = in.readNBytes(length);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static void strings(DataOutputStream out, List<String> values) throws IOException {
        out.writeInt(values.size());
        for (String value : values) {
            string(out, value);
        }
    }

    private static List<String> strings(DataInputStream in) throws IOException {
        int size = count(in);
        List<String> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            values.add(string(in));
        }
        return values;
    }

    /** A list's size, which can be no more than the bytes left (every element takes at least one). */
    private static int count(DataInputStream in) throws IOException {
        int size = in.readInt();
        if (size < 0 || size > in.available()) {
            throw new SerializationException("An SLA state list of " + size + " elements where " + in.available() + " bytes are left");
        }
        return size;
    }

    private static void optional(DataOutputStream out, Long value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeLong(value);
        }
    }

    private static Long optional(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }
}
