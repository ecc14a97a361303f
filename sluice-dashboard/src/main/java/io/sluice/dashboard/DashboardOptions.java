package io.sluice.dashboard;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where the dashboard listens. Loopback (127.0.0.1) by default; any other address shows the pipeline's figures to the
 * network, so it needs {@code --dashboard-host} <em>and</em> {@code --dashboard-token}: every request must then carry
 * the token ({@code ?token=} or {@code Authorization: Bearer}).
 *
 * @param port 0 picks a free port
 */
public record DashboardOptions(String host, int port, String token) {
    public static final String LOOPBACK = "127.0.0.1";

    public static DashboardOptions loopback(int port) {
        return new DashboardOptions(LOOPBACK, port, null);
    }

    /**
     * Refuses a bind the user did not secure.
     *
     * @throws IllegalArgumentException naming the flag, the value and the fix
     */
    public DashboardOptions {
        if (host == null || host.isBlank()) {
            host = LOOPBACK;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--dashboard-port must be 0..65535 (0 picks a free port), got " + port);
        }
        if (token != null && token.isBlank()) {
            token = null;
        }
        if (!isLoopback(host) && token == null) {
            throw new IllegalArgumentException("--dashboard-host " + host + " is not a loopback address: the dashboard"
                    + " would show the pipeline to the network. Set SLUICE_DASHBOARD_TOKEN or --dashboard-token"
                    + " '${env:NAME}' (every request must then carry it), or leave --dashboard-host at 127.0.0.1");
        }
    }

    public boolean tokenRequired() {
        return token != null;
    }

    static boolean isLoopback(String host) {
        if ("localhost".equalsIgnoreCase(host)) {
            return true;
        }
        try {
            // Only literal addresses are resolved without DNS; a name that is not localhost counts as not loopback.
            if (!host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?")) {
                return false;
            }
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
