package io.leadflow.localstack.system;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AdminTokenTests {

    @Test
    void onLoopbackWithoutATokenOneIsMadeUpForTheTrialsApiOnly() {
        AdminToken token = AdminToken.decide(Binding.loopback(), name -> null);

        assertThat(token.generated()).isTrue();
        assertThat(token.requiredEverywhere()).isFalse();
        assertThat(token.forEveryService()).isNull();
        assertThat(token.value()).startsWith("lf-").hasSizeGreaterThan(40);
        assertThat(AdminToken.decide(Binding.loopback(), name -> null).value()).as("a new one each run").isNotEqualTo(token.value());
    }

    @Test
    void beyondLoopbackEveryServiceRequiresTheTokenMadeUpOrGiven() {
        AdminToken madeUp = AdminToken.decide(Binding.of("0.0.0.0"), name -> null);
        AdminToken given = AdminToken.decide(Binding.of("0.0.0.0"), Map.of("LEADFLOW_ADMIN_TOKEN", "given-token-123456")::get);

        assertThat(madeUp.generated()).isTrue();
        assertThat(madeUp.forEveryService()).isEqualTo(madeUp.value());
        assertThat(given.generated()).isFalse();
        assertThat(given.forEveryService()).isEqualTo("given-token-123456");
    }

    @Test
    void aTokenTheUserSetIsRequiredEverywhereEvenOnLoopback() {
        AdminToken given = AdminToken.decide(Binding.loopback(), Map.of("LEADFLOW_ADMIN_TOKEN", "given-token-123456")::get);

        assertThat(given.requiredEverywhere()).isTrue();
        assertThat(given.forEveryService()).isEqualTo("given-token-123456");
    }

    @Test
    void neverShowsTheTokenWhenPrinted() {
        AdminToken token = AdminToken.decide(Binding.loopback(), name -> null);

        assertThat(token.toString()).doesNotContain(token.value().substring(4));
        assertThat(token.masked()).isEqualTo(token.value().substring(0, 4) + "***");
    }
}
