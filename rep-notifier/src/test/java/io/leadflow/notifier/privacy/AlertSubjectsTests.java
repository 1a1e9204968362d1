package io.leadflow.notifier.privacy;

import io.leadflow.avro.AlertField;
import io.leadflow.avro.RepAlert;
import io.leadflow.notifier.TestAlerts;
import io.leadflow.platform.privacy.Subjects;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AlertSubjectsTests {

    private static final Subjects SUBJECTS = new Subjects("alert-subjects-tests-key-of-32-bytes-at-least");

    @Test
    void theContactFieldNamesThePersonWithOrWithoutTheirName() {
        assertThat(AlertSubjects.email(with("Jane Doe, CTO <jane.doe@acme.io>"))).isEqualTo("jane.doe@acme.io");
        assertThat(AlertSubjects.email(with("  jane.doe@acme.io "))).isEqualTo("jane.doe@acme.io");
        assertThat(new AlertSubjects(SUBJECTS).of(with("Jane <Jane.Doe@Acme.io>"))).isEqualTo(SUBJECTS.of("jane.doe@acme.io"));
    }

    @Test
    void noAddressNoSubject() {
        assertThat(AlertSubjects.email(with("Jane Doe"))).isNull();
        assertThat(AlertSubjects.email(with("Jane <not an address>"))).isNull();
        assertThat(AlertSubjects.email(with("@acme.io"))).isNull();
        assertThat(AlertSubjects.email(TestAlerts.trial(io.leadflow.avro.AlertKind.TRIAL_KICKOFF, "k"))).isNull();
        assertThat(AlertSubjects.none().of(TestAlerts.newLead("lead"))).isNull();
    }

    @Test
    void aLongHostileContactIsReadInLinearTime() {
        String hostile = "<".repeat(200_000) + "a@b" + ">".repeat(200_000);
        assertThat(AlertSubjects.email(with(hostile))).isNull();
    }

    private static RepAlert with(String contact) {
        RepAlert alert = TestAlerts.newLead("lead");
        alert.setFields(List.of(new AlertField("Company", "Acme"), new AlertField("Contact", contact)));
        return alert;
    }
}
