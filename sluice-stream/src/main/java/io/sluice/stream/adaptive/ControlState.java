package io.sluice.stream.adaptive;

import java.io.Serializable;

/**
 * One controller's state at one moment, shipped from the executor to the driver with a task's write figures.
 *
 * @param controller   which controller (one per executor JVM and table): tasks of one executor report the same one
 * @param atNanos      the executor's clock when taken; the later of two states of one controller wins
 * @param limit        requests allowed in flight
 * @param rowsPerSecond the pace rows are sent at
 * @param latencyNanos median latency of the last window of answered requests
 * @param targetNanos  the latency target; 0 while the baseline is still being measured
 * @param reason       why the limit last changed
 */
public record ControlState(String controller, long atNanos, int limit, double rowsPerSecond, long latencyNanos,
                           long targetNanos, ControlReason reason) implements Serializable {
}
