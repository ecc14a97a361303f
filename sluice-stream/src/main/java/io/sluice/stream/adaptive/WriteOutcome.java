package io.sluice.stream.adaptive;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;

/**
 * How one Cassandra write attempt ended, as far as the pace is concerned. The three "busy" outcomes are Cassandra
 * telling us to slow down: the controller backs off and the writer retries them with backoff. Anything else that
 * fails (a bad statement, refused credentials) says nothing about load and is not retried for long.
 */
public enum WriteOutcome {
    OK,
    /** The client's request timeout or the coordinator's write timeout. */
    TIMEOUT,
    /** {@code OverloadedException}: the node sheds load (e.g. {@code native_transport_max_requests_per_second}). */
    OVERLOADED,
    /** Not enough replicas alive, or no node reachable at all. */
    UNAVAILABLE,
    FAILED;

    /** True for the outcomes that mean "Cassandra is busy or away": back off, wait and retry. */
    public boolean busy() {
        return this == TIMEOUT || this == OVERLOADED || this == UNAVAILABLE;
    }

    /** The outcome of an attempt that ended with {@code error} (null: it worked), looking through wrappers. */
    public static WriteOutcome of(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof DriverTimeoutException || t instanceof WriteTimeoutException) {
                return TIMEOUT;
            }
            if (t instanceof OverloadedException) {
                return OVERLOADED;
            }
            if (t instanceof UnavailableException || t instanceof NoNodeAvailableException) {
                return UNAVAILABLE;
            }
            if (t instanceof AllNodesFailedException all) { // every node tried failed: busy if any was busy
                return all.getAllErrors().values().stream().flatMap(java.util.List::stream)
                        .map(WriteOutcome::of).filter(WriteOutcome::busy).findFirst().orElse(FAILED);
            }
        }
        return error == null ? OK : FAILED;
    }
}
