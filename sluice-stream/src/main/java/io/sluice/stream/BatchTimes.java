package io.sluice.stream;

import java.nio.file.Path;
import java.time.Instant;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.OffsetSeq;
import org.apache.spark.sql.execution.streaming.OffsetSeqLog;
import org.apache.spark.sql.execution.streaming.OffsetSeqMetadata;
import scala.Option;

/**
 * Each micro-batch's own time, as Spark recorded it in the checkpoint's offset log before the batch ran: the instant
 * that {@code current_timestamp()} stands for in that batch. A batch replayed after a restart reads the same entry, so
 * it is judged at the same time as the first time.
 *
 * <p>Read here rather than added to the streaming query as a {@code current_timestamp()} column: Spark turns that
 * column into a literal of each batch's time, which makes the query's generated code differ in every batch, so every
 * batch compiled new classes and the JIT compiled them again.
 */
final class BatchTimes {
    private final String offsetsDir;
    private OffsetSeqLog log;

    BatchTimes(Path checkpointDir) {
        this.offsetsDir = checkpointDir.resolve("offsets").toUri().toString();
    }

    /** The time of batch {@code batchId}, which Spark has logged before handing the batch to foreachBatch. */
    Instant of(SparkSession spark, long batchId) {
        if (log == null) {
            log = new OffsetSeqLog(spark, offsetsDir);
        }
        Option<OffsetSeq> entry = log.get(batchId);
        if (entry.isEmpty() || entry.get().metadata().isEmpty()) {
            throw new IllegalStateException("the checkpoint's offset log " + offsetsDir + " has no time for batch "
                    + batchId + "; Spark writes it before it runs a batch, so the checkpoint was changed under the job");
        }
        OffsetSeqMetadata metadata = entry.get().metadata().get();
        return Instant.ofEpochMilli(metadata.batchTimestampMs());
    }
}
