package io.sluice.stream;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Runs {@link DriverRowWriter} over every partition of one micro-batch as one Spark job and gathers each task's
 * {@link BatchCounts} as the job's results (no accumulator).
 *
 * <p>The job is started with {@code SparkContext.runJob} and named function classes on purpose: Spark's
 * ClosureCleaner returns at once for them, while for a lambda ({@code foreachPartition} wraps the function in two)
 * it loads the class file of the class that declared the lambda (RDD, SparkContext) from its jar and scans it with
 * ASM, on every job: a few percent of a small micro-batch's CPU in a profile, plus the JIT work for that code.
 */
final class BatchWriteJob {
    /**
     * Records a task should have before a batch gets another task. A task costs ~20 ms of CPU besides its rows (its
     * closure sent and read, the Kafka reader, the writer's set-up, its result), the work of ~400 rows; at 5,000 rows
     * that is under a tenth. Measured with {@code EngineProbe} (bench-results/changes.md, round 10).
     */
    static final long RECORDS_PER_TASK = 5_000;

    private BatchWriteJob() {
    }

    /**
     * Tasks for a batch of at most {@code maxRecords} records in {@code partitions} Kafka partitions: one per
     * {@link #RECORDS_PER_TASK} records, at least one, at most one per partition. A default batch of 1,000 records from
     * three partitions is one task that reads the three in turn.
     */
    static int tasks(int partitions, long maxRecords) {
        long wanted = maxRecords / RECORDS_PER_TASK + (maxRecords % RECORDS_PER_TASK == 0 ? 0 : 1);
        return (int) Math.max(1, Math.min(partitions, wanted));
    }

    /**
     * {@code batchRows}: the batch's internal rows, at most {@code maxRecords}; through {@code projection} (if not null)
     * they become rows of {@code schema} (table columns, counts and verdict columns).
     */
    static BatchCounts run(RDD<InternalRow> batchRows, long maxRecords, PrecompiledProjection projection,
                           DriverRowWriter writer, StructType schema, int rules) {
        int tasks = tasks(batchRows.getNumPartitions(), maxRecords);
        // coalesce without a shuffle: a task reads several Kafka partitions one after the other.
        RDD<InternalRow> rows = tasks < batchRows.getNumPartitions()
                ? batchRows.coalesce(tasks, false, Option.empty(), null) : batchRows;
        List<BatchCounts> results = Collections.synchronizedList(new ArrayList<>());
        List<Object> partitions = new ArrayList<>();
        for (int i = 0; i < rows.getNumPartitions(); i++) {
            partitions.add(i);
        }
        // Each task's share of the write cap, for this batch's number of tasks (TaskShares).
        double share = writer.taskShare(partitions.size());
        rows.sparkContext().runJob(rows, new WritePartition(projection, writer, schema, rules, share),
                CollectionConverters.asScala(partitions).toSeq(), new Collect(results),
                ClassTag$.MODULE$.apply(BatchCounts.class));
        return BatchCounts.merge(results, rules);
    }

    /** One task: writes its partition's rows and returns their counts. */
    private static final class WritePartition
            extends AbstractFunction2<TaskContext, scala.collection.Iterator<InternalRow>, BatchCounts>
            implements Serializable {
        private static final long serialVersionUID = 1L;
        private final PrecompiledProjection projection;
        private final DriverRowWriter writer;
        private final StructType schema;
        private final int rules;
        private final double rowsPerSecond;

        WritePartition(PrecompiledProjection projection, DriverRowWriter writer, StructType schema, int rules,
                       double rowsPerSecond) {
            this.projection = projection;
            this.writer = writer;
            this.schema = schema;
            this.rules = rules;
            this.rowsPerSecond = rowsPerSecond;
        }

        @Override
        public BatchCounts apply(TaskContext context, scala.collection.Iterator<InternalRow> rows) {
            Iterator<InternalRow> input = CollectionConverters.asJava(rows);
            if (projection == null) {
                return write(input);
            }
            try (PrecompiledProjection.Compiled compiled = projection.open(context.partitionId())) {
                return write(compiled.apply(input));
            }
        }

        private BatchCounts write(Iterator<InternalRow> input) {
            try {
                return writer.write(input, schema, rules, rowsPerSecond);
            } catch (RuntimeException e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing to Cassandra", e);
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
    }

    /** On the driver: keeps each task's counts as it finishes. */
    private static final class Collect extends AbstractFunction2<Object, BatchCounts, BoxedUnit> {
        private final List<BatchCounts> results;

        Collect(List<BatchCounts> results) {
            this.results = results;
        }

        @Override
        public BoxedUnit apply(Object partition, BatchCounts counts) {
            results.add(counts);
            return BoxedUnit.UNIT;
        }
    }
}
