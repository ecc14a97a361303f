package io.sluice.ingest;

import java.util.Locale;

/** What {@link BoundedRecordQueue} does when full; the values of {@code producer.overflow}. */
public enum OverflowPolicy {
    /** Wait for space: the source slows down (backpressure). */
    BLOCK,
    /** Drop the oldest queued record, count and log it. */
    DROP_OLDEST,
    /** Throw {@link QueueOverflowException}; the pipeline stops. */
    FAIL;

    /** Parses a {@code producer.overflow} value such as {@code drop_oldest}. */
    public static OverflowPolicy fromConfig(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
