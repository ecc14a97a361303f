package io.sluice.stack;

import java.nio.file.Path;

/** A server from an earlier run is still alive for this data dir (its pid file points at a live process). */
public class AlreadyRunningException extends StackException {

    private final String server;
    private final long pid;

    public AlreadyRunningException(String server, long pid, Path pidFile) {
        super(server + " is already running from an earlier run (pid " + pid + ", pid file " + pidFile + ")."
                + " Stop it with `sluice down`, or keep using it as it is.");
        this.server = server;
        this.pid = pid;
    }

    public String server() {
        return server;
    }

    public long pid() {
        return pid;
    }
}
