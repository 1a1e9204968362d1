package io.leadflow.localstack.system;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class StartupBannerTests {

    @Test
    void saysTheDemoFeedsPaceInSecondsOrBelowASecondInMilliseconds() {
        assertThat(StartupBanner.every(Duration.ofSeconds(10))).isEqualTo("10 s");
        assertThat(StartupBanner.every(Duration.ofMillis(300))).as("not 'every 0 s'").isEqualTo("300 ms");
        assertThat(StartupBanner.every(Duration.ofMillis(1500))).isEqualTo("1500 ms");
    }
}
