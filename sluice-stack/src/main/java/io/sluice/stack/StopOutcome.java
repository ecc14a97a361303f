package io.sluice.stack;

import java.util.OptionalLong;

/**
 * Result of stopping one server.
 *
 * @param server     display name
 * @param pid        the process that was stopped, if one was running
 * @param wasRunning false when there was nothing to stop
 * @param forced     true when SIGTERM was not enough and SIGKILL was sent
 */
public record StopOutcome(String server, OptionalLong pid, boolean wasRunning, boolean forced) {

    static StopOutcome notRunning(String server) {
        return new StopOutcome(server, OptionalLong.empty(), false, false);
    }

    @Override
    public String toString() {
        if (!wasRunning) {
            return server + " was not running";
        }
        return "Stopped " + server + " (pid " + pid.getAsLong() + (forced ? ", killed after the stop timeout)" : ")");
    }
}
