package io.sluice.stream;

import java.util.List;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.execution.InputAdapter;
import org.apache.spark.sql.execution.LogicalRDD;
import org.apache.spark.sql.execution.LogicalRDD$;
import org.apache.spark.sql.execution.ProjectExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.execution.datasources.v2.MicroBatchScanExec;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * One micro-batch as Spark hands it to the pipeline's sink ({@link PipelineSink}): the query's Dataset of the batch,
 * whose plan Spark has already made (its {@code IncrementalExecution}) but not run.
 *
 * <p>Spark's foreachBatch ran that plan's code generation and handed over a second Dataset over the result (a
 * {@link LogicalRDD}) for every batch, even where the writer only needed to know which Kafka ranges the batch holds.
 * Here the writer asks for what it needs: {@link #scanRows()} takes the scan's rows straight from the plan when the
 * plan is the scan alone, and {@link #dataset()} makes foreachBatch's Dataset only for a batch that Spark must plan
 * further (rules over the whole batch, the connector's write, the quarantine's second read).
 */
public final class MicroBatch {
    private final Dataset<Row> streamed;
    private Dataset<Row> rows;

    /** {@code streamed}: the Dataset Spark hands to a sink, on the batch's own, already planned execution. */
    MicroBatch(Dataset<Row> streamed) {
        this.streamed = streamed;
    }

    public SparkSession session() {
        return streamed.sparkSession();
    }

    public StructType schema() {
        return streamed.schema();
    }

    /** The batch's physical plan, as Spark made it before handing the batch over. */
    public SparkPlan plan() {
        return streamed.queryExecution().executedPlan();
    }

    /**
     * The batch as a Dataset to plan further, as foreachBatch hands it over: a {@link LogicalRDD} over the batch's
     * executed rows, not streaming (Spark refuses to run a streaming plan outside the query). Made once per batch.
     */
    public Dataset<Row> dataset() {
        if (rows == null) {
            LogicalRDD executed = LogicalRDD$.MODULE$.fromDataset(streamed.queryExecution().toRdd(), streamed, false);
            rows = Dataset.ofRows(streamed.sparkSession(), executed);
        }
        return rows;
    }

    /**
     * The rows of the batch's one source scan, taken from the plan without running it, when nothing above the scan
     * changes a row (Spark's plan of a Kafka source is its scan under a copy of each row); else the executed rows of
     * {@link #dataset()}. Either has the batch's partitions; only the first skips the plan's code generation.
     */
    public RDD<InternalRow> scanRows() {
        MicroBatchScanExec scan = loneScan(plan());
        return scan != null ? scan.inputRDD() : plannedRows(dataset());
    }

    /**
     * The scan under {@code plan} if every step between them passes each row on unchanged (code-generation wrappers and
     * projections of the scan's own columns, in its order), else null.
     */
    static MicroBatchScanExec loneScan(SparkPlan plan) {
        List<Attribute> output = CollectionConverters.asJava(plan.output());
        SparkPlan step = plan;
        while (!(step instanceof MicroBatchScanExec)) {
            if (!(step instanceof WholeStageCodegenExec || step instanceof InputAdapter
                    || step instanceof ProjectExec project && onlyColumns(project))
                    || step.children().size() != 1) {
                return null;
            }
            step = step.children().head();
        }
        List<Attribute> scanned = CollectionConverters.asJava(step.output());
        if (scanned.size() != output.size()) {
            return null;
        }
        for (int i = 0; i < scanned.size(); i++) {
            if (!scanned.get(i).exprId().equals(output.get(i).exprId())) {
                return null;
            }
        }
        return (MicroBatchScanExec) step;
    }

    private static boolean onlyColumns(ProjectExec project) {
        for (NamedExpression expression : CollectionConverters.asJava(project.projectList())) {
            if (!(expression instanceof Attribute)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The executed rows under a Dataset whose plan is a {@link LogicalRDD} (as {@link #dataset()} makes), without
     * planning it again: that would add a stage that copies every row, and a plan and code generation per batch. Any
     * other Dataset is planned.
     */
    public static RDD<InternalRow> plannedRows(Dataset<Row> batch) {
        return batch.queryExecution().analyzed() instanceof LogicalRDD rows ? rows.rdd() : batch.queryExecution().toRdd();
    }
}
