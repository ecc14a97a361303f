package io.sluice.stream.adaptive;

/**
 * Which seconds {@link NeighbourWatch} probes. Twenty probe reads a second cost the executor about as much CPU as
 * writing its rows at the default pace, and they only matter while another client is there. So: every second while a
 * controller sees another client; otherwise one second in {@value #QUIET_EVERY_SECONDS}, enough to keep the node's
 * quiet level known (the lowest of the probed seconds, {@link NeighbourYield}) for a tenth of the cost. When another
 * client arrives, the second after the one that saw it is probed in full.
 */
final class ProbeSchedule {
    static final int QUIET_EVERY_SECONDS = 10;

    private long quietSeconds;

    /** Called once a second: whether the coming second is probed, given whether others are active now. */
    boolean probeNext(boolean othersActive) {
        if (othersActive) {
            quietSeconds = 0;
            return true;
        }
        return ++quietSeconds % QUIET_EVERY_SECONDS == 0;
    }
}
