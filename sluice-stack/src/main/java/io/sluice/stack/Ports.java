package io.sluice.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Port checks on the loopback interface, where all local servers listen. */
public final class Ports {

    static final String LOOPBACK = "127.0.0.1";

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

    /** A port that is free at the moment of the call (tests, and "pick any port" options). */
    public static int findFree() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free port on 127.0.0.1", e);
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
