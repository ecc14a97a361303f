package io.sluice.stream;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.UnaryOperator;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.CurrentDate;
import org.apache.spark.sql.catalyst.expressions.CurrentTimeZone;
import org.apache.spark.sql.catalyst.expressions.CurrentTimestampLike;
import org.apache.spark.sql.catalyst.expressions.ExprId;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.LocalTimestamp;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.codegen.CodegenFallback;
import org.apache.spark.sql.catalyst.optimizer.CollapseProject;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.execution.LogicalRDD;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The per-row work of a micro-batch (parse, data-quality verdict, table columns), planned by Spark's optimiser once at
 * start and compiled once per executor JVM, instead of being analysed, optimised, planned and code-generated again for
 * every micro-batch as part of the streaming query. The streaming query is then only the Kafka source, which leaves
 * Spark almost nothing to plan per batch. Values that differ from batch to batch but not from row to row (the batch's
 * time) are columns of their own, appended to each row, never literals in the plan: a literal would make new code.
 *
 * <p>The steps are applied, with Spark's own Dataset API, to an empty relation of the input's columns; the optimised
 * plan must be a chain of projections over that relation (no filter, aggregate or window: those need the rows of the
 * whole batch), and no expression may read the clock. Spark's optimiser leaves the steps apart (eight for the demo
 * pipeline), and each compiled projection copies every column, the record's bytes included, into a new row; so steps
 * are folded into one {@link UnsafeProjection} with Spark's own {@code CollapseProject} substitution, without its
 * reluctance to repeat a costly expression: generated code computes an expression used more than once only once
 * (Spark's subexpression elimination). Only where interpreted code would read a computed column is a step kept apart
 * ({@link #canFold}). The expressions are exactly those Spark would run, so a row gets the same verdict either way.
 */
final class PrecompiledProjection implements Serializable {
    private static final long serialVersionUID = 1L;
    /**
     * Compiled projections left by finished tasks, per plan (its broadcast's id), so a JVM generates and compiles each
     * plan's code once.
     */
    private static final ConcurrentHashMap<Long, ConcurrentLinkedQueue<Compiled>> IDLE = new ConcurrentHashMap<>();

    /** One projection of the chain: its expressions and the attributes of the rows it reads. */
    private record Stage(Seq<Expression> expressions, Seq<Attribute> input) implements Serializable {
    }

    /** Sent to each executor once, not with every task: the expressions are most of a task's bytes. */
    private final Broadcast<List<Stage>> stages;
    private final transient StructType schema;
    /** This batch's values of the per-batch columns, appended to each input row ({@link #withPerBatch}). */
    private final InternalRow perBatch;

    private PrecompiledProjection(Broadcast<List<Stage>> stages, StructType schema, InternalRow perBatch) {
        this.stages = stages;
        this.schema = schema;
        this.perBatch = perBatch;
    }

    /**
     * Plans {@code steps} for rows of {@code input} followed by the columns of {@code perBatch}, whose values
     * {@link #withPerBatch} gives for each batch; empty when the optimised plan is not a chain of projections or an
     * expression reads the clock, and the caller then lets Spark plan each batch.
     */
    static Optional<PrecompiledProjection> plan(SparkSession spark, StructType input, StructType perBatch,
                                                UnaryOperator<Dataset<Row>> steps) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        StructType joined = input;
        for (StructField field : perBatch.fields()) {
            joined = joined.add(field);
        }
        Dataset<Row> none = spark.createDataFrame(context.<Row>emptyRDD(), joined);
        Dataset<Row> processed = steps.apply(none);
        if (readsTheClock(processed.queryExecution().analyzed())) {
            return Optional.empty();
        }
        LogicalPlan plan = processed.queryExecution().optimizedPlan();
        List<Stage> stages = new ArrayList<>();
        Seq<NamedExpression> folded = null; // the projections from the last stage's input down to `plan`, as one
        while (plan instanceof Project project) {
            if (folded == null) {
                folded = project.projectList();
            } else if (canFold(folded, project.projectList())) {
                folded = CollapseProject.buildCleanedProjectList(folded, project.projectList());
            } else {
                stages.add(0, new Stage(expressions(folded), project.output()));
                folded = project.projectList();
            }
            plan = project.child();
        }
        if (!(plan instanceof LogicalRDD) || folded == null) {
            return Optional.empty();
        }
        stages.add(0, new Stage(expressions(folded), plan.output()));
        return Optional.of(new PrecompiledProjection(context.broadcast(stages), processed.schema(),
                new GenericInternalRow(0)));
    }

    /** The same plan for one batch: {@code values} are the per-batch columns' values, in their order. */
    PrecompiledProjection withPerBatch(InternalRow values) {
        return new PrecompiledProjection(stages, schema, values);
    }

    /**
     * True if an expression reads the clock ({@code current_timestamp()}, {@code current_date}, ...): the optimiser
     * replaces those with the time it runs, which would freeze them at the plan made for the first batch.
     */
    private static boolean readsTheClock(LogicalPlan plan) {
        return CollectionConverters.asJava(plan.expressions()).stream().anyMatch(PrecompiledProjection::readsTheClock)
                || CollectionConverters.asJava(plan.children()).stream().anyMatch(PrecompiledProjection::readsTheClock);
    }

    private static boolean readsTheClock(Expression expression) {
        return expression instanceof CurrentTimestampLike || expression instanceof CurrentDate
                || expression instanceof LocalTimestamp || expression instanceof CurrentTimeZone
                || CollectionConverters.asJava(expression.children()).stream().anyMatch(PrecompiledProjection::readsTheClock);
    }

    /**
     * True unless an expression of {@code upper} that Spark does not generate code for (a {@link CodegenFallback}, such
     * as a higher-order function) reads a column that {@code lower} computes: interpreted code has no subexpression
     * elimination, so it would compute that column again for each read (the whole parse, for each of a batch's rules).
     */
    private static boolean canFold(Seq<NamedExpression> upper, Seq<NamedExpression> lower) {
        Set<ExprId> computed = new HashSet<>();
        for (NamedExpression column : CollectionConverters.asJava(lower)) {
            if (column instanceof Alias alias && !(alias.child() instanceof Attribute)) {
                computed.add(alias.exprId());
            }
        }
        return CollectionConverters.asJava(upper).stream().noneMatch(e -> interpretedReads((Expression) e, computed, false));
    }

    private static boolean interpretedReads(Expression expression, Set<ExprId> computed, boolean interpreted) {
        if (expression instanceof Attribute attribute) {
            return interpreted && computed.contains(attribute.exprId());
        }
        boolean inside = interpreted || expression instanceof CodegenFallback;
        return CollectionConverters.asJava(expression.children()).stream()
                .anyMatch(child -> interpretedReads(child, computed, inside));
    }

    /** A projection's named expressions as the expressions they are (Scala's NamedExpression is a trait of them). */
    @SuppressWarnings("unchecked")
    private static Seq<Expression> expressions(Seq<?> named) {
        return (Seq<Expression>) named;
    }

    /** How many compiled projections a row goes through (on the driver). */
    int projections() {
        return stages.value().size();
    }

    /** The columns of the rows that {@link #open} returns (on the driver). */
    StructType schema() {
        return schema;
    }

    /**
     * A task's compiled chain, initialised for its partition (for non-deterministic expressions); close it when the
     * task is done with it, so the next task of this JVM reuses it.
     */
    Compiled open(int partitionIndex) {
        ConcurrentLinkedQueue<Compiled> idle = IDLE.computeIfAbsent(stages.id(), k -> new ConcurrentLinkedQueue<>());
        Compiled compiled = idle.poll();
        if (compiled == null) {
            List<Stage> chain = stages.value();
            UnsafeProjection[] projections = new UnsafeProjection[chain.size()];
            for (int i = 0; i < projections.length; i++) {
                projections[i] = UnsafeProjection.create(chain.get(i).expressions(), chain.get(i).input());
            }
            compiled = new Compiled(projections, idle);
        }
        for (UnsafeProjection projection : compiled.projections) {
            projection.initialize(partitionIndex);
        }
        compiled.joined.withRight(perBatch);
        return compiled;
    }

    /** A chain of compiled projections; one task uses it at a time. */
    static final class Compiled implements AutoCloseable {
        private final UnsafeProjection[] projections;
        private final ConcurrentLinkedQueue<Compiled> idle;
        /** An input row followed by the batch's per-batch values. */
        private final JoinedRow joined = new JoinedRow();

        private Compiled(UnsafeProjection[] projections, ConcurrentLinkedQueue<Compiled> idle) {
            this.projections = projections;
            this.idle = idle;
        }

        /** {@code rows} through the chain; each row it returns is reused for the next. */
        Iterator<InternalRow> apply(Iterator<InternalRow> rows) {
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public InternalRow next() {
                    InternalRow row = joined.withLeft(rows.next());
                    for (UnsafeProjection projection : projections) {
                        row = projection.apply(row);
                    }
                    return row;
                }
            };
        }

        @Override
        public void close() {
            idle.offer(this);
        }
    }
}
