package io.sluice.stream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What happens to the records of a micro-batch that cannot be written ({@link RecordParser#PARSE_OK} false). They
 * arrive with their raw value, Kafka position and {@link RecordParser#PARSE_ERROR}. Today they are counted (in the
 * progress file) and dropped; a quarantine table plugs in here without touching the parser or the writer.
 */
@FunctionalInterface
public interface SkippedRecords {
    /** Counted in the batch summary and otherwise dropped. */
    SkippedRecords COUNT_ONLY = (skipped, batchId, count) -> { };

    /** Called once per micro-batch that has skipped records ({@code count} > 0), before the batch is committed. */
    void handle(Dataset<Row> skipped, long batchId, long count);
}
