package io.sluice.demoapi;

import java.time.Duration;

/**
 * Server-wide defaults, fixed when the server starts. Query parameters override the per-request
 * ones ({@code seed}, {@code rate}, {@code total}, {@code fail}).
 *
 * @param seed      the seed used when a request names none
 * @param rate      stream events per second; 0 means as fast as the client reads
 * @param total     users in the whole sequence (absolute, exclusive end index); -1 = endless
 * @param heartbeat idle time after which a stream sends a keepalive (SSE comment, WebSocket ping)
 * @param sseRetry  reconnect delay advertised to SSE clients in the {@code retry:} field
 * @param faults    faults injected when a request does not pass {@code fail=}
 */
record DemoApiSettings(String seed, double rate, long total, Duration heartbeat, Duration sseRetry, FaultSpec faults) {
}
