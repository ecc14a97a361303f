package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.FormatString;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.rules.Rule;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A plain {@code format_string} rewritten by {@link PlainFormat} gives the bytes Spark's own Formatter gives, row by
 * row, through generated code; any other format is left to Spark.
 */
class PlainFormatTest {
    private static final String CODEGEN_MODE = "spark.sql.codegen.factoryMode";
    private static final String CODEGEN_FALLBACK = "spark.sql.codegen.fallback";
    private static final StructType TYPE = StructType.fromDDL("t STRING, u STRING, i INT, l BIGINT, s SMALLINT, d DOUBLE");
    /** Formats the rule rewrites: only %s over text and whole numbers, and %%. */
    private static final List<String> PLAIN = List.of(
            "format_string('%s %s, %s', i, t, u)",
            "format_string('%s', t)",
            "format_string('100%% of %s: %s%s', u, l, s)",
            "format_string('%s-%s', t, t, i)", // more arguments than %s: Formatter ignores the rest
            "format_string('no conversion at all')",
            "format_string('%s%s', cast(unhex('C328') as string), t)"); // text that is not UTF-8
    /** Formats left as they are. */
    private static final List<String> LEFT = List.of(
            "format_string('%d', i)",
            "format_string('%5s', t)",
            "format_string('%-5s|', t)",
            "format_string('%1$s %1$s', t)",
            "format_string('%s', d)", // a double's Java text is not always Spark's
            "format_string('%s %s', t)", // more %s than arguments: Formatter fails, as it should
            "format_string(t, u)", // not a literal format
            "format_string('ends with %', t)");

    @Test
    void aPlainFormatGivesFormattersBytesForEveryRow() {
        SparkSession spark = LocalSpark.get();
        Dataset<Row> rows = spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(List.of(
                RowFactory.create("Somchai", "กรุงเทพฯ 😀", 42, 9_007_199_254_740_993L, (short) -7, 1.5),
                RowFactory.create(null, "", null, null, null, null),
                RowFactory.create("", null, Integer.MIN_VALUE, Long.MIN_VALUE, Short.MAX_VALUE, 1e300),
                RowFactory.create("a%sb", "%%", 0, -1L, (short) 0, Double.NaN)), 1), TYPE);
        List<String> hex = new ArrayList<>();
        for (String format : PLAIN) {
            hex.add("hex(" + format + ")");
        }
        List<Row> formatter = rows.selectExpr(hex.toArray(String[]::new)).collectAsList();

        withRule(spark, () -> {
            Dataset<Row> rewritten = rows.selectExpr(hex.toArray(String[]::new));
            assertThat(formatStrings(rewritten)).as("every plain format rewritten").isZero();
            assertThat(rewritten.collectAsList()).as("the same bytes, row by row").isEqualTo(formatter);
        });
        assertThat(formatter.get(0).getString(0)).as("the input reaches the output")
                .isEqualTo(hex("42 Somchai, กรุงเทพฯ 😀"));
        assertThat(formatter.get(1).getString(0)).as("a null argument is written as null").isEqualTo(hex("null null, "));
        assertThat(formatter.get(0).getString(5)).as("bad bytes are written as U+FFFD").startsWith(hex("\uFFFD("));
    }

    @Test
    void anyOtherFormatIsLeftToSpark() {
        SparkSession spark = LocalSpark.get();
        Dataset<Row> rows = spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(List.of(RowFactory.create("x", "y", 1, 2L, (short) 3, 4.0)), 1), TYPE);
        withRule(spark, () -> {
            for (String format : LEFT) {
                assertThat(formatStrings(rows.selectExpr(format))).as(format).isOne();
            }
            assertThat(rows.selectExpr(LEFT.get(0), LEFT.get(1), LEFT.get(4)).collectAsList())
                    .containsExactly(RowFactory.create("1", "    x", "4.0"));
        });
    }

    /** How many format_string expressions the optimised plan still has. */
    private static long formatStrings(Dataset<Row> query) {
        return CollectionConverters.asJava(query.queryExecution().optimizedPlan().expressions()).stream()
                .mapToLong(PlainFormatTest::formatStrings).sum();
    }

    private static long formatStrings(Expression expression) {
        return (expression instanceof FormatString ? 1 : 0) + CollectionConverters.asJava(expression.children()).stream()
                .mapToLong(PlainFormatTest::formatStrings).sum();
    }

    /** With the rule, and with generated code only: Spark would otherwise fall back to interpreting what fails to compile. */
    private static void withRule(SparkSession spark, Runnable check) {
        PlainFormat.install(spark);
        spark.conf().set(CODEGEN_MODE, "CODEGEN_ONLY");
        spark.conf().set(CODEGEN_FALLBACK, "false");
        try {
            check.run();
        } finally {
            spark.conf().unset(CODEGEN_MODE);
            spark.conf().unset(CODEGEN_FALLBACK);
            spark.experimental().extraOptimizations_$eq(
                    CollectionConverters.asScala(List.<Rule<LogicalPlan>>of()).toSeq());
        }
    }

    private static String hex(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            out.append(String.format("%02X", b));
        }
        return out.toString();
    }
}
