package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.execution.streaming.OffsetSeq;
import org.apache.spark.sql.execution.streaming.OffsetSeqLog;
import org.apache.spark.sql.execution.streaming.OffsetSeqMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Option;
import scala.collection.immutable.Map$;
import scala.jdk.javaapi.CollectionConverters;

/** A batch's time is the one Spark logged for it, read again the same after a restart. */
class BatchTimesTest {
    @TempDir
    Path checkpoint;

    @Test
    void aBatchIsTimedAsSparkLoggedIt() {
        Instant first = Instant.parse("2026-11-30T08:00:00.123Z");
        Instant second = Instant.parse("2026-11-30T08:00:10.456Z");
        log(0, first);
        log(1, second);

        assertThat(new BatchTimes(checkpoint).of(LocalSpark.get(), 1)).isEqualTo(second);
        assertThat(new BatchTimes(checkpoint).of(LocalSpark.get(), 0))
                .as("a new reader, as after a restart, gets the same time").isEqualTo(first);
    }

    @Test
    void aBatchWithNoEntryIsAnError() {
        log(0, Instant.parse("2026-11-30T08:00:00Z"));

        assertThatThrownBy(() -> new BatchTimes(checkpoint).of(LocalSpark.get(), 7))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no time for batch 7");
    }

    @Test
    void whileSparkRunsABatchItsTimeComesFromTheRunningExecutionAsLogged() throws Exception {
        Path queryCheckpoint = checkpoint.resolve("query");
        Path noLog = checkpoint.resolve("no-log"); // a reader that cannot fall back to a log: the execution must answer
        List<String> seen = new CopyOnWriteArrayList<>();
        StreamingQuery query = PipelineSink.attach(LocalSpark.get().readStream().format("rate-micro-batch")
                        .option("rowsPerBatch", "5").load().writeStream(), (batch, id) -> {
                    Instant running = new BatchTimes(noLog).of(batch.session(), id);
                    Instant logged = new BatchTimes(queryCheckpoint).logged(batch.session(), id);
                    seen.add(id + ":" + running.equals(logged));
                })
                .option("checkpointLocation", queryCheckpoint.toString())
                .start();
        try {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (seen.size() < 2 && query.exception().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } finally {
            query.stop();
        }
        assertThat(query.exception().isEmpty()).as("the query ran without failing: %s", query.exception()).isTrue();
        assertThat(seen).as("each batch timed from its execution, equal to the time in the offset log")
                .hasSizeGreaterThanOrEqualTo(2).allSatisfy(entry -> assertThat(entry).endsWith(":true"));
    }

    /** What Spark writes before it runs batch {@code batchId}: its offsets and its time. */
    private void log(long batchId, Instant time) {
        OffsetSeqLog log = new OffsetSeqLog(LocalSpark.get(), checkpoint.resolve("offsets").toUri().toString());
        OffsetSeqMetadata metadata = new OffsetSeqMetadata(0L, time.toEpochMilli(), Map$.MODULE$.empty());
        Option<Offset> none = Option.empty();
        OffsetSeq offsets = new OffsetSeq(CollectionConverters.asScala(java.util.List.of(none)).toSeq(),
                Option.apply(metadata));
        assertThat(log.add(batchId, offsets)).as("batch %d logged", batchId).isTrue();
    }
}
