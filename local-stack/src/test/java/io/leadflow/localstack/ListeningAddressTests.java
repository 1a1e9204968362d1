package io.leadflow.localstack;

import io.leadflow.localstack.system.Ports;
import io.leadflow.localstack.system.StartupBanner;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * By default the local stack is reachable from this machine only: every port it listens on - Kafka and its
 * controller, the schema registry, every service and the console - is bound to 127.0.0.1, as the kernel's socket
 * table says, and connecting through any other address of this machine is refused. The admin token it made up is
 * shown masked, with the owner-only file that holds it.
 */
class ListeningAddressTests {

    final LocalStack stack = RunningStack.get();

    @Test
    void everyPortIsBoundToLoopbackOnly() throws Exception {
        Map<String, Integer> ports = ports(stack.options().ports());
        for (Map.Entry<String, Integer> port : ports.entrySet()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port.getValue()), 2000);
            }
            List<String> listening = listeningAddresses(port.getValue());
            if (listening != null) {
                assertThat(listening).as("%s (port %d) in the kernel's socket table", port.getKey(), port.getValue())
                        .isNotEmpty().allSatisfy(address -> assertThat(address).isIn("127.0.0.1", "::ffff:127.0.0.1"));
            }
            for (InetAddress other : otherAddressesOfThisMachine()) {
                assertThatThrownBy(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(other, port.getValue()), 2000);
                    }
                }).as("%s (port %d) through %s", port.getKey(), port.getValue(), other).isInstanceOf(ConnectException.class);
            }
        }
    }

    @Test
    void theBannerShowsTheMadeUpAdminTokenMaskedAndWhereItIsKept() throws Exception {
        String banner = StartupBanner.render(stack);
        Path file = stack.adminTokenFile();

        assertThat(banner).doesNotContain(stack.adminToken()).contains(stack.adminToken().substring(0, 4) + "***")
                .contains(file.toAbsolutePath().normalize().toString()).contains("127.0.0.1 (this machine only)");
        assertThat(Files.readString(file).trim()).isEqualTo(stack.adminToken());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    static Map<String, Integer> ports(Ports ports) {
        Map<String, Integer> all = new LinkedHashMap<>();
        all.put("Kafka", ports.kafka());
        all.put("Kafka controller", ports.kafkaController());
        all.put("schema registry", ports.registry());
        all.put("lead-intake", ports.intake());
        all.put("routing-service", ports.routing());
        all.put("crm-sync", ports.crm());
        all.put("trial-tracker", ports.trials());
        all.put("rep-notifier", ports.notifier());
        all.put("console", ports.console());
        return all;
    }

    /** Local addresses of the listening TCP sockets on this port, from /proc/net/tcp and tcp6; null where there is no /proc. */
    static List<String> listeningAddresses(int port) throws IOException {
        Path tcp = Path.of("/proc/net/tcp");
        if (!Files.isReadable(tcp)) {
            return null;
        }
        List<String> addresses = new ArrayList<>();
        for (Path table : List.of(tcp, Path.of("/proc/net/tcp6"))) {
            if (!Files.isReadable(table)) {
                continue;
            }
            List<String> lines = Files.readAllLines(table);
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                String[] local = fields[1].split(":");
                boolean listen = fields[3].equals("0A");
                if (listen && Integer.parseInt(local[1], 16) == port) {
                    addresses.add(address(local[0]));
                }
            }
        }
        return addresses;
    }

    /** The kernel writes an address as 32-bit words in host (little-endian) byte order. */
    static String address(String hex) throws IOException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                bytes[word * 4 + b] = (byte) Integer.parseInt(hex.substring((word * 4 + 3 - b) * 2, (word * 4 + 3 - b) * 2 + 2), 16);
            }
        }
        InetAddress address = InetAddress.getByAddress(bytes);
        if (address instanceof Inet6Address && hex.toUpperCase(Locale.ROOT).startsWith("0000000000000000FFFF0000")) {
            return "::ffff:" + InetAddress.getByAddress(java.util.Arrays.copyOfRange(bytes, 12, 16)).getHostAddress();
        }
        return address.getHostAddress();
    }

    /** Every address of this machine's interfaces that is up, but loopback and link-local ones. */
    static List<InetAddress> otherAddressesOfThisMachine() throws SocketException {
        List<InetAddress> others = new ArrayList<>();
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            nic.inetAddresses().filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress()).forEach(others::add);
        }
        return others;
    }
}
