package io.leadflow.localstack.system;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalStackOptionsTests {

    @Test
    void defaultsToTheDesignsPortsAndDataDirectory() {
        LocalStackOptions options = LocalStackOptions.parse(new String[0], name -> null);

        assertThat(options.dataDir()).isEqualTo(Path.of(".leadflow", "data"));
        assertThat(options.reset()).isFalse();
        assertThat(options.demo()).isFalse();
        Ports ports = options.ports();
        assertThat(new int[] {ports.kafka(), ports.registry(), ports.intake(), ports.routing(), ports.crm(), ports.trials(),
                ports.notifier(), ports.console()}).containsExactly(9092, 8081, 8080, 8082, 8083, 8084, 8085, 8090);
        assertThat(ports.kafkaController()).isPositive();
    }

    @Test
    void readsOptionsAndPortsFromTheEnvironment() {
        Map<String, String> env = Map.of("LEADFLOW_CONSOLE_PORT", "9990", "LEADFLOW_DATA_DIR", "/tmp/ignored", "LEADFLOW_DEMO_INTERVAL", "10s");

        LocalStackOptions options = LocalStackOptions.parse(new String[] {"--demo", "--reset", "--data-dir", "/srv/leadflow"}, env::get);

        assertThat(options.demo()).isTrue();
        assertThat(options.reset()).isTrue();
        assertThat(options.dataDir()).isEqualTo(Path.of("/srv/leadflow"));
        assertThat(options.ports().console()).isEqualTo(9990);
        assertThat(options.demoEvery().toSeconds()).isEqualTo(10);
    }

    @Test
    void refusesUnknownOptionsAndBadPortsNamingThem() {
        assertThatThrownBy(() -> LocalStackOptions.parse(new String[] {"--dmeo"}, name -> null)).hasMessageContaining("--dmeo");
        assertThatThrownBy(() -> LocalStackOptions.parse(new String[0], Map.of("LEADFLOW_KAFKA_PORT", "ninety")::get))
                .hasMessageContaining("LEADFLOW_KAFKA_PORT");
    }

    @Test
    void picksDistinctFreePortsInRandomMode() {
        Ports ports = LocalStackOptions.parse(new String[] {"--random-ports"}, name -> null).ports();

        assertThat(java.util.Set.of(ports.kafka(), ports.kafkaController(), ports.registry(), ports.intake(), ports.routing(),
                ports.crm(), ports.trials(), ports.notifier(), ports.console())).hasSize(9).doesNotContain(9092, 8080);
    }

    @Test
    void listensOnLoopbackUnlessToldToBindElsewhere() {
        assertThat(LocalStackOptions.parse(new String[0], name -> null).binding().address()).isEqualTo("127.0.0.1");
        assertThat(LocalStackOptions.parse(new String[0], name -> null).binding().loopbackOnly()).isTrue();

        Binding everywhere = LocalStackOptions.parse(new String[] {"--bind", "0.0.0.0"}, name -> null).binding();
        Binding fromEnv = LocalStackOptions.parse(new String[0], Map.of("LEADFLOW_BIND_ADDRESS", "::")::get).binding();
        Binding inline = LocalStackOptions.parse(new String[] {"--bind=::1"}, name -> null).binding();

        assertThat(everywhere.address()).isEqualTo("0.0.0.0");
        assertThat(everywhere.loopbackOnly()).isFalse();
        assertThat(everywhere.urlHost()).isEqualTo("localhost");
        assertThat(fromEnv.loopbackOnly()).isFalse();
        assertThat(inline.loopbackOnly()).isTrue();
        assertThat(inline.urlHost()).isEqualTo("[::1]");
        assertThat(Binding.of("192.0.2.10").urlHost()).isEqualTo("192.0.2.10");
    }

    @Test
    void refusesABindWithoutAnAddressOrWithOneThatDoesNotResolve() {
        assertThatThrownBy(() -> LocalStackOptions.parse(new String[] {"--bind"}, name -> null)).hasMessageContaining("--bind");
        assertThatThrownBy(() -> LocalStackOptions.parse(new String[] {"--bind", "no such host.invalid"}, name -> null))
                .hasMessageContaining("--bind");
    }
}
