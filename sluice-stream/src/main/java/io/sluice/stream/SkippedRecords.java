package io.sluice.stream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What happens to the records of a micro-batch that cannot be written ({@link DataQuality#VALID} false). They arrive
 * with their original bytes, Kafka key and position, and {@link DataQuality#REASONS}. {@link QuarantineWriter} is the
 * real one; tests may count.
 */
@FunctionalInterface
public interface SkippedRecords {
    /** Counted in the batch summary and otherwise dropped. */
    SkippedRecords COUNT_ONLY = (skipped, batchId, count) -> { };

    /** Called once per micro-batch that has skipped records ({@code count} > 0), before the batch is committed. */
    void handle(Dataset<Row> skipped, long batchId, long count);
}
