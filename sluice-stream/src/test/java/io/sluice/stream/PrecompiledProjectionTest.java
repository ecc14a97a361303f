package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.apache.spark.sql.functions.col;

import io.sluice.config.PipelineConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.junit.jupiter.api.Test;
import scala.Function1;

/**
 * The per-row steps planned once give every row what Spark's own plan of the same steps gives it, over good records
 * and every kind of bad one, at the batch's time; rules that compare rows or read the clock are left to Spark.
 */
class PrecompiledProjectionTest {
    /** Every rule type that judges a row by itself: DataQualityTest's rules without unique_in_batch. */
    static final String ROW_RULES = DataQualityTest.RULES.lines().filter(line -> !line.contains("unique_in_batch"))
            .collect(Collectors.joining("\n", "", "\n"));

    @Test
    void everyRowComesOutAsSparksOwnPlanMakesIt() throws Exception {
        PipelineConfig config = DataQualityTest.config(ROW_RULES);
        Dataset<Row> kafka = KafkaRows.ofBytes(
                bytes(DemoPipeline.user("good-1")),
                bytes(DemoPipeline.user("good-2")),
                bytes("{not json"),
                new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
                bytes("   "),
                null,
                bytes("{\"login\":{\"uuid\":\"x\"},\"pad\":\"" + "x".repeat(5000) + "\"}"),
                bytes(DataQualityTest.user("bad-email", Map.of("somchai@example.com", "not-an-email"))),
                bytes(DataQualityTest.user("old-age", Map.of("\"age\":35", "\"age\":300"))),
                bytes(DataQualityTest.user("stale", Map.of("2015-01-02T03:04:05.000Z", "1990-01-02T03:04:05.000Z"))),
                bytes(DataQualityTest.user("minor", Map.of("\"age\":35", "\"age\":12"))),
                bytes(DataQualityTest.user("no-email", Map.of("\"email\":\"somchai@example.com\",", ""))),
                bytes(DemoPipeline.user("trailing") + " garbage"),
                bytes(DemoPipeline.user("twice") + DemoPipeline.user("twice")),
                bytes(DataQualityTest.user("number-as-gender", Map.of("\"female\"", "7"))),
                bytes("{\"login\":{\"uuid\":\"garbage\"},\"name\":\"should be a struct\"}"),
                bytes("{\"email\":\"no-key@example.com\"}"),
                bytes("[{\"login\":{\"uuid\":\"in-an-array\"}}]"));
        // Spark's own plan of the same steps, the batch's time a literal (what a batch gets when it cannot be precompiled)
        Dataset<Row> planned = MicroBatchWriter.writeColumns(DataQuality.fromConfig(config).apply(
                RecordParser.fromConfig(config).parse(kafka), DataQualityTest.NOW), SinkProjection.fromConfig(config));
        Optional<PrecompiledProjection> precompiled = plan(kafka, config);

        assertThat(precompiled).as("row-local rules make a chain of projections").isPresent();
        assertThat(precompiled.get().schema().fieldNames()).as("Spark's columns, and the batch's time carried along")
                .containsExactlyInAnyOrder(Stream.concat(Arrays.stream(planned.schema().fieldNames()),
                        Stream.of(MicroBatchWriter.BATCH_TIME)).toArray(String[]::new));
        List<Row> expected = planned.collectAsList();
        // generated code only: Spark would otherwise interpret, silently and many times slower, code that fails to compile
        LocalSpark.get().conf().set("spark.sql.codegen.factoryMode", "CODEGEN_ONLY");
        List<Row> actual;
        try {
            actual = run(precompiled.get().withPerBatch(BATCH_VALUES), kafka);
        } finally {
            LocalSpark.get().conf().unset("spark.sql.codegen.factoryMode");
        }
        assertThat(actual).as("rows through the precompiled projection").hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            Row row = actual.get(i);
            Row sameColumns = RowFactory.create(Arrays.stream(planned.schema().fieldNames()).map(row::getAs).toArray());
            assertThat(sameColumns).as("row of Kafka offset %d", i).isEqualTo(expected.get(i));
        }
        assertThat(expected.stream().map(r -> r.getAs(RecordParser.PARSE_ERROR)).distinct().count())
                .as("the input covers many parse outcomes").isGreaterThanOrEqualTo(8);
        assertThat(expected.stream().filter(r -> r.<Boolean>getAs(DataQuality.failColumn(5))).count())
                .as("max_age judged at the batch's time fails the stale record").isEqualTo(1);
    }

    @Test
    void rulesThatCompareTheRowsOfABatchAreLeftToSpark() throws Exception {
        PipelineConfig config = DataQualityTest.config(DataQualityTest.RULES);
        assertThat(plan(KafkaRows.of(DemoPipeline.user("a")), config))
                .as("a window over the batch is not a projection").isEmpty();
    }

    @Test
    void rulesThatReadTheClockAreLeftToSpark() throws Exception {
        PipelineConfig config = DataQualityTest.config(ROW_RULES
                + "    - {name: not_ahead, type: expr, expr: \"cast(registered.date as timestamp) <= current_timestamp()\"}\n");
        assertThat(plan(KafkaRows.of(DemoPipeline.user("a")), config))
                .as("a plan made once would freeze the clock at the first batch").isEmpty();
    }

    @Test
    void stepsAreFoldedExceptWhereInterpretedCodeWouldComputeAColumnAgain() throws Exception {
        PipelineConfig config = DataQualityTest.config(ROW_RULES);
        Dataset<Row> kafka = KafkaRows.of(DemoPipeline.user("a"));
        PrecompiledProjection precompiled = plan(kafka, config).orElseThrow();
        // the relation PrecompiledProjection.plan builds on: an RDD, so the optimiser cannot fold the steps into data
        Dataset<Row> none = LocalSpark.get().createDataFrame(
                JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext()).<Row>emptyRDD(),
                kafka.schema().add(MicroBatchWriter.PER_BATCH.fields()[0]));
        LogicalPlan optimized = steps(config).apply(none).queryExecution().optimizedPlan();
        int sparksProjections = 0;
        for (LogicalPlan plan = optimized; plan instanceof Project project; plan = project.child()) {
            sparksProjections++;
        }

        assertThat(sparksProjections).as("Spark's optimiser leaves the steps apart").isGreaterThan(4);
        assertThat(precompiled.projections()).as("folded: each step no longer copies every column into a row of its own")
                .isLessThan(sparksProjections)
                // filter() over the rules' reasons is interpreted: folded into it, each rule's verdict, parse and all,
                // would be computed again for every read
                .isGreaterThan(1);
    }

    @Test
    void aTaskReusesTheChainAnEarlierTaskClosed() throws Exception {
        PipelineConfig config = DataQualityTest.config(ROW_RULES);
        PrecompiledProjection precompiled = plan(KafkaRows.of(DemoPipeline.user("a")), config).orElseThrow();

        PrecompiledProjection.Compiled first = precompiled.open(0);
        PrecompiledProjection.Compiled second = precompiled.open(1);
        assertThat(second).as("two tasks at once get a chain each").isNotSameAs(first);
        second.close();
        assertThat(precompiled.open(2)).as("the next task takes the closed chain").isSameAs(second);
    }

    /** The per-batch values as the stream job gives them: the batch's time, in microseconds. */
    private static final InternalRow BATCH_VALUES = MicroBatchWriter.perBatchValues(DataQualityTest.NOW);

    /** The driver writer's steps planned for Kafka rows, as the stream job plans them. */
    private static Optional<PrecompiledProjection> plan(Dataset<Row> kafka, PipelineConfig config) {
        return PrecompiledProjection.plan(LocalSpark.get(), RecordParser.valueReadInPlace(kafka.schema()),
                MicroBatchWriter.PER_BATCH, steps(config));
    }

    /** The driver writer's steps: parse (carrying the batch's time), rules at that time, table columns. */
    private static UnaryOperator<Dataset<Row>> steps(PipelineConfig config) {
        RecordParser parser = RecordParser.fromConfig(config);
        DataQuality quality = DataQuality.fromConfig(config);
        SinkProjection projection = SinkProjection.fromConfig(config);
        return batch -> MicroBatchWriter.writeColumns(quality.apply(parser.parse(batch, List.of(MicroBatchWriter.BATCH_TIME)),
                col(MicroBatchWriter.BATCH_TIME)), projection);
    }

    /** The batch's rows as Spark's internal rows, through the chain, back to external rows for comparison. */
    private static List<Row> run(PrecompiledProjection precompiled, Dataset<Row> batch) {
        List<InternalRow> input = new ArrayList<>();
        scala.collection.Iterator<InternalRow> rows = batch.queryExecution().toRdd().toLocalIterator();
        while (rows.hasNext()) {
            input.add(rows.next().copy());
        }
        Function1<Object, Object> toRow = CatalystTypeConverters.createToScalaConverter(precompiled.schema());
        List<Row> out = new ArrayList<>();
        try (PrecompiledProjection.Compiled compiled = precompiled.open(0)) {
            Iterator<InternalRow> projected = compiled.apply(input.iterator());
            while (projected.hasNext()) {
                out.add((Row) toRow.apply(projected.next().copy()));
            }
        }
        return out;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
