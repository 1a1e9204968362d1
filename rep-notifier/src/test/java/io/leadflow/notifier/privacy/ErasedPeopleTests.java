package io.leadflow.notifier.privacy;

import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.SentAlert;
import io.leadflow.notifier.InMemorySentLedger;
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

    private final InMemorySentLedger ledger = new InMemorySentLedger();
    private final ErasedPeople erased = ErasedPeople.notFollowing(new AlertSubjects(SUBJECTS), ledger, new SimpleMeterRegistry());

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

    @Test
    void aLeadTheLedgerKnowsAsTheErasedPersonsIsSkippedAfterARestartWhateverItsEmail() {
        // after a restart the lead is known as theirs only through the ledger's marker of it
        erased.remember(ErasureRequested.newBuilder().setErasureId("e2").setSubject(SUBJECTS.of("ann@acme.io")).setEmail(null)
                .setRequestedAt(ERASED_AT).setCompletedAt(null).build());
        SentAlert marker = SlackErasure.erasedLead("l6", ErasureRequested.newBuilder().setErasureId("e2")
                .setSubject(SUBJECTS.of("ann@acme.io")).setEmail(null).setRequestedAt(ERASED_AT).setCompletedAt(null).build());
        ledger.recordAll(List.of(marker));

        assertThat(erased.skipsLead("l6", null, ERASED_AT.minusSeconds(60))).isTrue();
        assertThat(erased.skipsLead("l7", null, ERASED_AT.minusSeconds(60))).isFalse();
    }
}
