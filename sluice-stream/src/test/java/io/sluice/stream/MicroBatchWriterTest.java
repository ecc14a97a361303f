package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.LogicalRDD;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MicroBatchWriterTest {

    /**
     * foreachBatch hands over the batch's rows already planned (a LogicalRDD); the writer reads those, not a second
     * plan of them. If a Spark version stops doing so, this fails and says the writer plans each batch twice again.
     */
    @Test
    void aMicroBatchIsReadAsSparkPlannedIt(@TempDir Path dir) throws Exception {
        SparkSession spark = LocalSpark.get();
        Path input = Files.createDirectories(dir.resolve("in"));
        Files.writeString(input.resolve("records.txt"), "a\nb\nc\n", StandardCharsets.UTF_8);
        List<String> seen = new ArrayList<>();
        StreamingQuery query = spark.readStream().text(input.toString()).writeStream()
                .option("checkpointLocation", dir.resolve("checkpoint").toString())
                .trigger(Trigger.AvailableNow())
                .foreachBatch((Dataset<Row> batch, Long id) -> {
                    RDD<InternalRow> rows = MicroBatchWriter.plannedRows(batch);
                    boolean planned = batch.queryExecution().analyzed() instanceof LogicalRDD logical && logical.rdd() == rows;
                    seen.add("planned=" + planned + " rows=" + rows.count());
                })
                .start();
        query.awaitTermination();
        assertThat(seen).containsExactly("planned=true rows=3");
    }

    @Test
    void anyOtherDatasetIsPlannedAsUsual() {
        Dataset<Row> numbers = LocalSpark.get().range(4).toDF("n");
        RDD<InternalRow> rows = MicroBatchWriter.plannedRows(numbers);
        assertThat(rows).isSameAs(numbers.queryExecution().toRdd());
        assertThat(rows.count()).isEqualTo(4);
    }
}
