package io.sluice.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Port checks on the loopback interface, where all local servers listen. */
public final class Ports {

    static final String LOOPBACK = "127.0.0.1";
    /** Above the well-known defaults of the servers Sluice runs (7000-9999) and of most other daemons. */
    private static final int PICK_FROM = 15_000;
    private static final int LINUX_DEFAULT_EPHEMERAL_START = 32_768;
    private static final Path EPHEMERAL_RANGE_FILE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /** True when a server could bind this port on 127.0.0.1 right now. */
    public static boolean isFree(int port) {
        return isFree(LOOPBACK, port);
    }

    /** True when a server could bind this port on this address (127.0.0.2 for a second Cassandra node) right now. */
    public static boolean isFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // Servers set SO_REUSEADDR too, so a port in TIME_WAIT is not "taken" for them either.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A port that is free at the moment of the call (tests, and "pick any port" options), below the kernel's ephemeral
     * range. A server is often started a minute after its port was picked (a cluster starts node after node), and in
     * that minute every outgoing connection takes a local port from the ephemeral range: a port picked there (as
     * {@code new ServerSocket(0)} does) can be taken by a client socket before the server binds it, and Spark then
     * quietly moves its web UI to the next port. Below the range no client socket takes it. Ports handed out once are
     * not handed out again by this JVM.
     */
    public static int findFree() {
        int low = PICK_FROM;
        int high = ephemeralRangeStart();
        for (int attempt = 0; attempt < 1_000 && high > low; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(low, high);
            if (isFree(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort(); // no room below the ephemeral range: the kernel's pick
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free port on 127.0.0.1", e);
        }
    }

    /** The first port of the kernel's ephemeral (client) range; Linux's default when the kernel does not say. */
    static int ephemeralRangeStart() {
        return EphemeralRange.START;
    }

    /** Read once, at the first port picked: the range does not change while a JVM picks ports. */
    private static final class EphemeralRange {
        static final int START = readEphemeralRangeStart();
    }

    private static int readEphemeralRangeStart() {
        try {
            // readAllLines, not readString: the kernel reports a size of 0 for /proc files, and readString then
            // returns only the first byte ("3")
            String range = Files.readAllLines(EPHEMERAL_RANGE_FILE).get(0).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return LINUX_DEFAULT_EPHEMERAL_START;
        }
    }

    /** True when something accepts TCP connections on 127.0.0.1:port. */
    static boolean isAccepting(int port, int timeoutMillis) {
        return isAccepting(LOOPBACK, port, timeoutMillis);
    }

    static boolean isAccepting(String host, int port, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
