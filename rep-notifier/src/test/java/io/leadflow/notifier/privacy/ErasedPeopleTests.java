package io.leadflow.notifier.privacy;

import io.leadflow.avro.ErasureRequested;
import io.leadflow.platform.privacy.Subjects;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A lead whose person was erased after it came is left alone (no shared channel for a replayed decision). */
class ErasedPeopleTests {

    private static final Subjects SUBJECTS = new Subjects("erased-people-tests-key-of-32-bytes-at-least");
    private static final Instant ERASED_AT = Instant.parse("2026-03-01T10:00:00Z");

    private final ErasedPeople erased = new ErasedPeople(new AlertSubjects(SUBJECTS), new SimpleMeterRegistry());

    @Test
    void aLeadOfAnErasedPersonFromBeforeTheErasureIsSkippedOneFromAfterIsNot() {
        erased.remember(ErasureRequested.newBuilder().setErasureId("e1").setSubject(SUBJECTS.of("jane@acme.io")).setEmail(null)
                .setRequestedAt(ERASED_AT).setCompletedAt(null).build());

        assertThat(erased.skipsLead("l1", "Jane@Acme.io", ERASED_AT.minusSeconds(60))).isTrue();
        assertThat(erased.skipsLead("l2", "jane@acme.io", ERASED_AT.plusSeconds(60))).as("came back after the erasure").isFalse();
        assertThat(erased.skipsLead("l3", "bob@acme.io", ERASED_AT.minusSeconds(60))).isFalse();
    }

    @Test
    void aLeadAnErasureFoundByItsMessagesIsSkippedWhateverItsEmail() {
        erased.erasedLeads(List.of("l4"), ERASED_AT);

        assertThat(erased.skipsLead("l4", null, ERASED_AT.minusSeconds(60))).isTrue();
        assertThat(erased.skipsLead("l5", null, ERASED_AT.minusSeconds(60))).isFalse();
    }
}
