package io.leadflow.localstack.system;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where the local stack's services and console listen ({@code --bind}, {@code LEADFLOW_BIND_ADDRESS}); 127.0.0.1
 * by default. Kafka and the schema registry have no authentication and always stay on 127.0.0.1.
 *
 * @param address  the address as given, handed to each server as {@code server.address}
 * @param resolved what it resolves to
 */
public record Binding(String address, InetAddress resolved) {

    public static final String ENV = "LEADFLOW_BIND_ADDRESS";
    public static final String LOOPBACK = "127.0.0.1";

    public static Binding loopback() {
        return of(LOOPBACK);
    }

    /** @throws IllegalArgumentException when the address does not resolve */
    public static Binding of(String address) {
        String trimmed = address.trim();
        try {
            return new Binding(trimmed, InetAddress.getByName(trimmed));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--bind: '" + trimmed + "' is not an address of this machine", e);
        }
    }

    /** Whether only this machine can connect (127.0.0.1, ::1, localhost). */
    public boolean loopbackOnly() {
        return resolved.isLoopbackAddress();
    }

    /** The host to put in URLs that reach what listens here, from this machine. */
    public String urlHost() {
        if (resolved.isAnyLocalAddress()) {
            return "localhost";
        }
        if (resolved instanceof Inet6Address && address.contains(":")) {
            return "[" + address + "]";
        }
        return address;
    }

    /** How the banner says it. */
    public String describe() {
        if (resolved.isAnyLocalAddress()) {
            return "all interfaces (" + address + ")";
        }
        return loopbackOnly() ? address + " (this machine only)" : address;
    }
}
