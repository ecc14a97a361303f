package io.sluice.stream;

import static org.apache.spark.sql.functions.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Refuses primary-key expressions that do not depend on the record alone. Upsert only deduplicates when a replayed
 * record computes the same key as the first time; a random or clock-based key writes a second row on every replay.
 *
 * <p>Two checks, because Spark's own {@code Expression.deterministic} misses clock functions: {@code now()} and
 * {@code current_timestamp()} are fixed within one query, so Spark calls them deterministic, yet they differ between
 * the first run of a batch and its replay after a crash.
 */
final class KeyDeterminism {
    /** Functions whose value does not come from the record: random, clock, or position-in-the-job. */
    static final List<String> VOLATILE_FUNCTIONS = List.of("rand", "randn", "random", "uuid", "shuffle", "now",
            "current_timestamp", "current_date", "curdate", "localtimestamp", "current_timezone", "unix_timestamp",
            "monotonically_increasing_id", "spark_partition_id", "input_file_name", "input_file_block_start",
            "input_file_block_length", "rand_str", "try_aes_encrypt", "aes_encrypt");
    private static final Pattern CALL = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");
    private static final Pattern BARE_CLOCK = Pattern.compile(
            "\\b(current_timestamp|current_date|localtimestamp|current_timezone)\\b(?!\\s*\\()", Pattern.CASE_INSENSITIVE);

    private KeyDeterminism() {
    }

    /** Null when {@code expression} is a deterministic function of the record, else why not (a sentence tail). */
    static String check(Dataset<Row> empty, String expression) {
        List<String> named = volatileFunctions(expression);
        if (!named.isEmpty()) {
            return "uses " + String.join(", ", named) + ", which gives a different value when a record is replayed, "
                    + "so every replay would write a duplicate row instead of overwriting its own; build the key "
                    + "from the record's own fields only";
        }
        LogicalPlan plan;
        try {
            plan = empty.select(expr(expression)).queryExecution().analyzed();
        } catch (Exception e) {
            return "is not a Spark SQL expression over `record.schema` (" + Messages.firstLine(e.getMessage()) + ")";
        }
        for (Expression e : CollectionConverters.asJava(plan.expressions())) {
            if (!e.deterministic()) {
                return "is not deterministic (Spark says so for `" + e.sql() + "`), so every replay would write a "
                        + "duplicate row instead of overwriting its own; build the key from the record's own fields only";
            }
        }
        return null;
    }

    static List<String> volatileFunctions(String expression) {
        List<String> found = new ArrayList<>();
        Matcher call = CALL.matcher(expression);
        while (call.find()) {
            String name = call.group(1).toLowerCase(Locale.ROOT);
            // unix_timestamp(col) reads the record; only unix_timestamp() reads the clock.
            boolean clockUnix = name.equals("unix_timestamp") && expression.substring(call.end()).stripLeading().startsWith(")");
            if ((VOLATILE_FUNCTIONS.contains(name) && !name.equals("unix_timestamp") || clockUnix) && !found.contains(name + "()")) {
                found.add(name + "()");
            }
        }
        Matcher bare = BARE_CLOCK.matcher(expression);
        while (bare.find()) {
            String name = bare.group(1).toLowerCase(Locale.ROOT);
            if (!found.contains(name + "()") && !found.contains(name)) {
                found.add(name);
            }
        }
        return found;
    }
}
