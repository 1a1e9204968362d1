package io.leadflow.routing.simulate;

import java.util.HashSet;
import java.util.Set;

/**
 * The lead ids a simulation has seen, in 16 bytes each (32 at the table's most, half full) rather than a string set's
 * hundred: a lead id is a UUID in its canonical text form, kept as its two longs in one open-addressing table, so a
 * lookup touches one place in memory. A high half of 0 marks an empty slot: a name-based UUID, as every lead id is,
 * has its version bits set there; an id in any other form, or with a zero high half, goes to an ordinary set.
 * Not thread-safe: one simulation, one thread.
 */
final class LeadIdSet {

    private static final int MIN_SLOTS = 1 << 10;

    private long[] table = new long[2 * MIN_SLOTS];
    private int size;
    private final Set<String> others = new HashSet<>();
    private final long[] uuid = new long[2];

    /** Adds the id; false when it was there already. */
    boolean add(String leadId) {
        if (!parse(leadId, uuid) || uuid[0] == 0) {
            return others.add(leadId);
        }
        if ((size + 1) * 4 > table.length) { // more than half of the slots (two longs each)
            grow();
        }
        return insert(uuid[0], uuid[1]);
    }

    boolean contains(String leadId) {
        if (!parse(leadId, uuid) || uuid[0] == 0) {
            return others.contains(leadId);
        }
        int mask = table.length / 2 - 1;
        for (int slot = slot(uuid[0], uuid[1], mask); table[2 * slot] != 0; slot = (slot + 1) & mask) {
            if (table[2 * slot] == uuid[0] && table[2 * slot + 1] == uuid[1]) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return size + others.size();
    }

    private boolean insert(long high, long low) {
        int mask = table.length / 2 - 1;
        int slot = slot(high, low, mask);
        while (table[2 * slot] != 0) {
            if (table[2 * slot] == high && table[2 * slot + 1] == low) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
        table[2 * slot] = high;
        table[2 * slot + 1] = low;
        size++;
        return true;
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        size = 0;
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != 0) {
                insert(old[i], old[i + 1]);
            }
        }
    }

    private static int slot(long high, long low, int mask) {
        long h = (high ^ Long.rotateLeft(low, 32)) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /**
     * Reads a canonical UUID ({@code 8-4-4-4-12} lower-case hex digits, as {@code UUID.toString} writes it) into two
     * longs; false for anything else, so two different strings never share a key.
     */
    static boolean parse(String id, long[] into) {
        if (id == null || id.length() != 36 || id.charAt(8) != '-' || id.charAt(13) != '-' || id.charAt(18) != '-' || id.charAt(23) != '-') {
            return false;
        }
        long high = 0;
        long low = 0;
        int digits = 0;
        for (int i = 0; i < 36; i++) {
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                continue;
            }
            char c = id.charAt(i);
            int value = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (value < 0) {
                return false;
            }
            if (digits++ < 16) {
                high = (high << 4) | value;
            } else {
                low = (low << 4) | value;
            }
        }
        into[0] = high;
        into[1] = low;
        return true;
    }
}
