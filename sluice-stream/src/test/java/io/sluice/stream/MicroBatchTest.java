package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.LogicalRDD;
import org.apache.spark.sql.execution.datasources.v2.MicroBatchScanExec;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the pipeline's sink hands over for each micro-batch, run through real streaming queries. */
class MicroBatchTest {
    @TempDir
    Path dir;

    /**
     * A source scan alone (Spark's Kafka source is one): its rows come from the plan's scan, so Spark neither runs the
     * plan's code generation nor builds a second Dataset for the batch; the Dataset, when asked for, holds the same
     * rows and can be planned further. If a Spark version plans such a query differently, this fails and says the
     * writer pays for a plan it does not read again.
     */
    @Test
    void aScanAloneIsReadFromThePlanAndTheDatasetHoldsTheSameRows() throws Exception {
        Dataset<Row> rate = LocalSpark.get().readStream().format("rate-micro-batch").option("rowsPerBatch", "3")
                .option("numPartitions", "2").load();
        List<String> seen = runBatches(rate, batch -> {
            RDD<InternalRow> rows = batch.scanRows();
            MicroBatchScanExec scan = MicroBatch.loneScan(batch.plan());
            return "scan=" + (scan != null && scan.inputRDD() == rows) + " rows=" + rows.count()
                    + " dataset=" + batch.dataset().filter("value >= 0").count()
                    + " streaming=" + batch.dataset().isStreaming();
        });
        assertThat(seen).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(line -> assertThat(line).isEqualTo("scan=true rows=3 dataset=3 streaming=false"));
    }

    /** A plan that changes the rows above the scan is run as Spark planned it: the scan's rows are not the batch's. */
    @Test
    void aPlanThatComputesAboveTheScanIsRunAsPlanned() throws Exception {
        Dataset<Row> doubled = LocalSpark.get().readStream().format("rate-micro-batch").option("rowsPerBatch", "3")
                .load().selectExpr("value * 2 AS doubled");
        List<String> seen = runBatches(doubled, batch -> "scan=" + (MicroBatch.loneScan(batch.plan()) != null)
                + " planned=" + (batch.scanRows() == ((LogicalRDD) batch.dataset().queryExecution().analyzed()).rdd())
                + " schema=" + String.join(",", batch.dataset().columns()));
        assertThat(seen).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(line -> assertThat(line).isEqualTo("scan=false planned=true schema=doubled"));
    }

    /** A Dataset that is not a LogicalRDD is planned as usual. */
    @Test
    void anyOtherDatasetIsPlannedAsUsual() {
        Dataset<Row> numbers = LocalSpark.get().range(4).toDF("n");
        RDD<InternalRow> rows = MicroBatch.plannedRows(numbers);
        assertThat(rows).isSameAs(numbers.queryExecution().toRdd());
        assertThat(rows.count()).isEqualTo(4);
    }

    /** A file source (Spark's own V1 source, no scan of a micro-batch stream): its executed rows, as foreachBatch's. */
    @Test
    void aSourceWithoutAMicroBatchScanGivesItsExecutedRows() throws Exception {
        Path input = Files.createDirectories(dir.resolve("in"));
        Files.writeString(input.resolve("records.txt"), "a\nb\nc\n", StandardCharsets.UTF_8);
        List<String> seen = runBatches(LocalSpark.get().readStream().text(input.toString()), 1,
                batch -> "rows=" + batch.scanRows().count()
                        + " planned=" + (batch.scanRows() == MicroBatch.plannedRows(batch.dataset())));
        assertThat(seen).containsExactly("rows=3 planned=true");
    }

    private interface Look {
        String at(MicroBatch batch) throws Exception;
    }

    private List<String> runBatches(Dataset<Row> source, Look look) throws Exception {
        return runBatches(source, 2, look);
    }

    /** Runs {@code source} through {@link PipelineSink} until {@code batches} batches are seen (at most 60 s). */
    private List<String> runBatches(Dataset<Row> source, int batches, Look look) throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        StreamingQuery query = PipelineSink.attach(source.writeStream(), (batch, id) -> seen.add(look.at(batch)))
                .option("checkpointLocation", Files.createTempDirectory(dir, "checkpoint").toString())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (seen.size() < batches && query.exception().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } finally {
            query.stop();
        }
        assertThat(query.exception().isEmpty()).as("the query ran without failing: %s", query.exception()).isTrue();
        return seen;
    }
}
