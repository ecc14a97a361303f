package io.sluice.stack;

/** A port a server needs is already taken by another program; found before the server is launched. */
public class PortInUseException extends StackException {

    private final String server;
    private final String purpose;
    private final int port;

    public PortInUseException(String server, String purpose, int port) {
        this(server, purpose, Ports.LOOPBACK, port);
    }

    public PortInUseException(String server, String purpose, String host, int port) {
        super("Port " + port + " on " + host + " is already in use, but " + server + " needs it for its "
                + purpose + ". Stop the program that holds it (find it with `ss -ltnp 'sport = :" + port + "'`),"
                + " or give " + server + " another " + purpose + " port.");
        this.server = server;
        this.purpose = purpose;
        this.port = port;
    }

    /** Which server wanted the port, e.g. "Kafka". */
    public String server() {
        return server;
    }

    /** What the port is for, e.g. "broker listener". */
    public String purpose() {
        return purpose;
    }

    public int port() {
        return port;
    }
}
