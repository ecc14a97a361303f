package io.sluice.stream;

import java.nio.file.Path;
import java.time.Instant;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.SQLExecution;
import org.apache.spark.sql.execution.streaming.IncrementalExecution;
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
 *
 * <p>While Spark runs the batch, its execution carries the same metadata it logged ({@link IncrementalExecution}, found
 * by the execution id Spark sets on the thread that runs the sink), so the log is read only when that is not at
 * hand: reading and parsing the log file was about a twentieth of the stream thread's time in a default batch.
 */
final class BatchTimes {
    private final String offsetsDir;
    private OffsetSeqLog log;

    BatchTimes(Path checkpointDir) {
        this.offsetsDir = checkpointDir.resolve("offsets").toUri().toString();
    }

    /** The time of batch {@code batchId}, which Spark has logged before handing the batch to the sink. */
    Instant of(SparkSession spark, long batchId) {
        IncrementalExecution running = runningBatch(spark);
        if (running != null && running.currentBatchId() == batchId) {
            return Instant.ofEpochMilli(running.offsetSeqMetadata().batchTimestampMs());
        }
        return logged(spark, batchId);
    }

    /** The execution of the micro-batch this thread runs for Spark; null outside one. */
    private static IncrementalExecution runningBatch(SparkSession spark) {
        String executionId = spark.sparkContext().getLocalProperty(SQLExecution.EXECUTION_ID_KEY());
        QueryExecution execution = executionId == null ? null : SQLExecution.getQueryExecution(Long.parseLong(executionId));
        return execution instanceof IncrementalExecution batch ? batch : null;
    }

    /** The time Spark wrote into the offset log for {@code batchId}. */
    Instant logged(SparkSession spark, long batchId) {
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
