package io.sluice.stream;

import io.sluice.config.SluiceException;

/**
 * The share of quarantined records stayed above {@code dq.halt.max_failure_ratio} for a whole {@code dq.halt.window}:
 * something upstream is broken, and the job stops rather than quietly fill the quarantine. Not retriable as is.
 */
public final class DataQualityHaltException extends SluiceException {
    public DataQualityHaltException(String message) {
        super(message);
    }

    /** The halt behind {@code error}, if any: Spark may wrap what the pipeline's sink throws. */
    static DataQualityHaltException findIn(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DataQualityHaltException halt) {
                return halt;
            }
        }
        return null;
    }
}
