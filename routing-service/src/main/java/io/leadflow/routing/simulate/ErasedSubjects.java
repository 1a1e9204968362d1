package io.leadflow.routing.simulate;

import io.leadflow.platform.privacy.Subjects;

import java.util.Map;

/**
 * The people erased when a simulation starts ({@code privacy.erasures}: subject → when the erasure was requested), so
 * that a replay never counts or shows a lead of theirs received before it; a lead of the same person received after the
 * erasure is a new lead, replayed like any other.
 *
 * @param subjects     names an email as a subject; null without {@code LEADFLOW_PRIVACY_KEY} (then nobody is recognised)
 * @param requestedAts subject → epoch millis of the erasure request
 */
record ErasedSubjects(Subjects subjects, Map<String, Long> requestedAts) {

    ErasedSubjects {
        requestedAts = Map.copyOf(requestedAts);
    }

    static ErasedSubjects none() {
        return new ErasedSubjects(null, Map.of());
    }

    /** Whether a lead of this email received at {@code receivedAtMillis} is of a person erased after it. */
    boolean erased(String email, long receivedAtMillis) {
        if (subjects == null || requestedAts.isEmpty() || email == null) {
            return false;
        }
        Long requestedAt = requestedAts.get(subjects.of(email));
        return requestedAt != null && receivedAtMillis < requestedAt;
    }

    int size() {
        return requestedAts.size();
    }
}
