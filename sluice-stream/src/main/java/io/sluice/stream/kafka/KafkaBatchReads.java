package io.sluice.stream.kafka;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.Dependency;
import org.apache.spark.OneToOneDependency;
import org.apache.spark.Partition;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.SQLExecution;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.datasources.v2.DataSourceRDD;
import org.apache.spark.sql.execution.datasources.v2.DataSourceRDDPartition;
import org.apache.spark.sql.execution.datasources.v2.MicroBatchScanExec;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.apache.spark.sql.kafka010.KafkaBatchInputPartition;
import org.apache.spark.sql.kafka010.KafkaOffsetRange;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;

/**
 * A micro-batch of Spark's Kafka source, read by Sluice's own reader ({@link RangeRows}) instead of Spark's.
 *
 * <p>Spark's Kafka source still decides what a batch is: it plans the offset ranges and writes them to the offset
 * log before the batch runs, so a batch replayed after a crash reads exactly the same records. Only the reading is
 * ours, and it reads those same ranges with the same consumer settings. Spark's reader turns every record into a row
 * of its own (the key's and the value's bytes copied in), its plan copies each row once more, and it asks the broker
 * for the partition's first and last offsets after every poll (two round trips); this reader hands the record's
 * bytes to the parse as they came from the consumer.
 *
 * <p>Spark's own progress of the query ({@code numInputRows} of each {@code StreamingQueryProgress}, the rates beside
 * it, the SQL tab) counts the rows that its scan of the batch produced. That scan is not run here, so this reader
 * counts the rows it reads into the scan's own row metric instead, and the query's progress stays right.
 *
 * <p>Used only where the batch is exactly the Kafka source's rows without headers, planned the way Spark 3.5 plans
 * them (a scan of Kafka ranges under projections that keep every row), and no Kafka delegation tokens are configured;
 * anything else is read by Spark.
 */
public final class KafkaBatchReads {
    /** The columns of Spark's Kafka source without headers, in its order. */
    static final StructType KAFKA_COLUMNS = new StructType()
            .add("key", DataTypes.BinaryType)
            .add("value", DataTypes.BinaryType)
            .add("topic", DataTypes.StringType)
            .add("partition", DataTypes.IntegerType)
            .add("offset", DataTypes.LongType)
            .add("timestamp", DataTypes.TimestampType)
            .add("timestampType", DataTypes.IntegerType);

    /** Where Spark's Kafka delegation tokens are configured. */
    static final String TOKEN_CLUSTERS = "spark.kafka.clusters.";

    private final RDD<InternalRow> planned;
    private final List<OffsetRange> ranges;
    private final ReadRanges reads;

    private KafkaBatchReads(RDD<InternalRow> planned, List<OffsetRange> ranges, ReadRanges reads) {
        this.planned = planned;
        this.ranges = ranges;
        this.reads = reads;
    }

    /**
     * The batch's ranges, if {@code planned} (rows of {@code schema}) is a plan of Spark's Kafka source that this
     * reader reads the same: Kafka's columns without headers, one Kafka range per partition, nothing above the scan
     * but one-to-one steps (Spark's copy of each row).
     */
    public static Optional<KafkaBatchReads> of(RDD<InternalRow> planned, StructType schema) {
        // Spark's reader adds the delegation tokens of spark.kafka.clusters.* to its consumers' settings; ours does not.
        if (!sameColumns(schema) || planned.sparkContext().conf().getAllWithPrefix(TOKEN_CLUSTERS).length > 0) {
            return Optional.empty();
        }
        RDD<?> rdd = planned;
        while (!(rdd instanceof DataSourceRDD)) {
            List<Dependency<?>> parents = CollectionConverters.asJava(rdd.dependencies());
            if (parents.size() != 1 || !(parents.get(0) instanceof OneToOneDependency<?> parent)) {
                return Optional.empty();
            }
            rdd = parent.rdd();
        }
        List<OffsetRange> ranges = new ArrayList<>();
        KafkaBatchInputPartition first = null;
        for (Partition partition : rdd.partitions()) {
            if (!(partition instanceof DataSourceRDDPartition scan)) {
                return Optional.empty();
            }
            List<InputPartition> inputs = CollectionConverters.asJava(scan.inputPartitions());
            if (inputs.size() != 1 || !(inputs.get(0) instanceof KafkaBatchInputPartition kafka)
                    || kafka.includeHeaders()) {
                return Optional.empty();
            }
            if (first == null) {
                first = kafka;
            } else if (!first.executorKafkaParams().equals(kafka.executorKafkaParams())
                    || first.pollTimeoutMs() != kafka.pollTimeoutMs() || first.failOnDataLoss() != kafka.failOnDataLoss()) {
                return Optional.empty();
            }
            KafkaOffsetRange range = kafka.offsetRange();
            ranges.add(new OffsetRange(range.topic(), range.partition(), range.fromOffset(), range.untilOffset(),
                    range.preferredLoc().isDefined() ? range.preferredLoc().get() : null));
        }
        if (first == null || rdd.partitions().length != planned.partitions().length) {
            return Optional.empty();
        }
        return Optional.of(new KafkaBatchReads(planned, ranges, new ReadRanges(first.executorKafkaParams(),
                first.pollTimeoutMs(), first.failOnDataLoss(), scanRowsMetric(planned, rdd))));
    }

    /**
     * The row metric of the scan in Spark's plan of the batch that made {@code scan}, where Spark's progress reads the
     * batch's input rows; null when the batch is not being run by a query (its execution is unknown here).
     */
    private static SQLMetric scanRowsMetric(RDD<?> planned, RDD<?> scan) {
        String executionId = planned.sparkContext().getLocalProperty(SQLExecution.EXECUTION_ID_KEY());
        QueryExecution execution = executionId == null ? null : SQLExecution.getQueryExecution(Long.parseLong(executionId));
        if (execution == null) {
            return null;
        }
        for (SparkPlan leaf : CollectionConverters.asJava(execution.executedPlan().collectLeaves())) {
            if (leaf instanceof MicroBatchScanExec batchScan && batchScan.inputRDD() == scan) {
                return batchScan.longMetric("numOutputRows");
            }
        }
        return null;
    }

    /** Rows compare by name and type; nullability differs between Spark's scan and its plan. */
    private static boolean sameColumns(StructType schema) {
        if (schema.fields().length != KAFKA_COLUMNS.fields().length) {
            return false;
        }
        for (int i = 0; i < schema.fields().length; i++) {
            if (!schema.fields()[i].name().equals(KAFKA_COLUMNS.fields()[i].name())
                    || !schema.fields()[i].dataType().equals(KAFKA_COLUMNS.fields()[i].dataType())) {
                return false;
            }
        }
        return true;
    }

    List<OffsetRange> ranges() {
        return ranges;
    }

    /**
     * The batch's rows in {@code tasks} tasks, each reading whole ranges one after the other, the largest first into
     * the task with the fewest records so far (a default batch of 1,000 records from three partitions is one task).
     * Each row has the Kafka source's columns, {@code value} as text ({@code RecordParser.valueReadInPlace}), and is
     * reused for the next.
     */
    public RDD<InternalRow> rows(int tasks) {
        int count = Math.max(1, Math.min(tasks, ranges.size()));
        List<List<OffsetRange>> groups = new ArrayList<>();
        long[] sizes = new long[count];
        for (int i = 0; i < count; i++) {
            groups.add(new ArrayList<>());
        }
        List<OffsetRange> largestFirst = new ArrayList<>(ranges);
        largestFirst.sort(Comparator.comparingLong(OffsetRange::size).reversed());
        for (OffsetRange range : largestFirst) {
            int least = 0;
            for (int i = 1; i < count; i++) {
                if (sizes[i] < sizes[least]) {
                    least = i;
                }
            }
            groups.get(least).add(range);
            sizes[least] += range.size();
        }
        List<Tuple2<List<OffsetRange>, scala.collection.immutable.Seq<String>>> located = new ArrayList<>();
        for (List<OffsetRange> group : groups) {
            List<String> where = group.stream().map(OffsetRange::preferredLocation)
                    .filter(location -> location != null).distinct().toList();
            located.add(new Tuple2<>(group, CollectionConverters.asScala(where).toSeq()));
        }
        RDD<List<OffsetRange>> tasksRdd = planned.sparkContext().makeRDD(CollectionConverters.asScala(located).toSeq(),
                ClassTag$.MODULE$.apply(List.class));
        return tasksRdd.mapPartitions(reads, false, ClassTag$.MODULE$.apply(InternalRow.class));
    }

    /** The settings of the batch's consumers (for tests: never log them, they hold the client's secrets). */
    Map<String, Object> consumerSettings() {
        return reads.consumerSettings();
    }
}
