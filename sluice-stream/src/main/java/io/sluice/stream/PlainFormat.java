package io.sluice.stream;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Cast;
import org.apache.spark.sql.catalyst.expressions.Coalesce;
import org.apache.spark.sql.catalyst.expressions.Concat;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.FormatString;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.objects.StaticInvoke;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.rules.Rule;
import org.apache.spark.sql.types.AbstractDataType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Function1;
import scala.Option;
import scala.runtime.AbstractPartialFunction;
import scala.jdk.javaapi.CollectionConverters;

/**
 * An optimiser rule: {@code format_string} whose format has only {@code %s} (and {@code %%}), over text and whole
 * numbers, becomes the concatenation it amounts to, with the same result for every row.
 *
 * <p>Why: Spark runs a {@link java.util.Formatter} for each row, which parses the format with a regular expression
 * and boxes every argument each time; the demo's address (five {@code %s}) was 4 % of a write task's CPU. A format
 * with anything else ({@code %d}, a width, a flag, an argument index), or an argument of another type, is left as it
 * is. What {@code %s} writes is kept exactly: a number's decimal digits (as a cast to text writes them), {@code null}
 * for a null argument, and a text through a Java String, so bytes that are not UTF-8 still come out as U+FFFD
 * ({@link #asFormatted}). Public, since Spark's generated code calls {@link #asFormatted}.
 */
public final class PlainFormat extends Rule<LogicalPlan> {
    private static final Rewrite REWRITE = new Rewrite();

    /** Adds the rule to the session's optimiser, after Spark's own rules. */
    static void install(SparkSession spark) {
        spark.experimental().extraOptimizations_$eq(
                CollectionConverters.asScala(List.<Rule<LogicalPlan>>of(new PlainFormat())).toSeq());
    }

    @Override
    public LogicalPlan apply(LogicalPlan plan) {
        return plan.transformAllExpressions(REWRITE);
    }

    /** The concatenation {@code format} amounts to, or null when it is not plain. */
    static Expression concatOf(FormatString format) {
        List<Expression> children = CollectionConverters.asJava(format.children());
        if (!(children.get(0) instanceof Literal literal) || !(literal.dataType() instanceof StringType)
                || literal.value() == null) {
            return null;
        }
        String pattern = literal.value().toString();
        List<Expression> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int argument = 1;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%') {
                text.append(c);
                continue;
            }
            char next = i + 1 < pattern.length() ? pattern.charAt(i + 1) : 0;
            i++;
            if (next == '%') {
                text.append('%');
            } else if (next == 's' && argument < children.size()) {
                Expression formatted = asText(children.get(argument++));
                if (formatted == null) {
                    return null;
                }
                addText(parts, text);
                parts.add(formatted);
            } else {
                return null; // another conversion, a width or flag, or more %s than arguments (Formatter fails)
            }
        }
        addText(parts, text);
        return new Concat(CollectionConverters.asScala(parts).toList());
    }

    private static void addText(List<Expression> parts, StringBuilder text) {
        if (!text.isEmpty()) {
            parts.add(Literal.create(text.toString(), DataTypes.StringType));
            text.setLength(0);
        }
    }

    /** What {@code %s} writes for {@code argument}, or null for a type whose Java text may differ from Spark's. */
    private static Expression asText(Expression argument) {
        DataType type = argument.dataType();
        Expression text;
        if (type instanceof StringType) {
            text = new StaticInvoke(PlainFormat.class, DataTypes.StringType, "asFormatted",
                    CollectionConverters.asScala(List.of(argument)).toList(),
                    CollectionConverters.asScala(List.<AbstractDataType>of()).toList(), true, true, true);
        } else if (type instanceof IntegerType || type instanceof LongType || type instanceof ShortType
                || type instanceof ByteType) {
            text = new Cast(argument, DataTypes.StringType, Option.empty());
        } else {
            return null;
        }
        return new Coalesce(CollectionConverters.asScala(List.of(text, Literal.create("null", DataTypes.StringType)))
                .toList());
    }

    /**
     * A text as {@code %s} writes it, through {@code toString()}: the same bytes when they are UTF-8 (almost always,
     * and checked without a copy), U+FFFD for each bad sequence otherwise. Called by Spark's generated code.
     */
    public static UTF8String asFormatted(UTF8String text) {
        return Utf8Check.valid(text) ? text : UTF8String.fromString(text.toString());
    }

    /** The rule's match: each {@code format_string} that is plain. */
    private static final class Rewrite extends AbstractPartialFunction<Expression, Expression> {
        @Override
        public boolean isDefinedAt(Expression expression) {
            return expression instanceof FormatString format && concatOf(format) != null;
        }

        @Override
        public <A1 extends Expression, B1> B1 applyOrElse(A1 expression, Function1<A1, B1> otherwise) {
            Expression concat = expression instanceof FormatString format ? concatOf(format) : null;
            @SuppressWarnings("unchecked")
            B1 result = concat != null ? (B1) concat : otherwise.apply(expression);
            return result;
        }
    }
}
