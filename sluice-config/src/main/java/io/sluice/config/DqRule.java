package io.sluice.config;

import java.time.Duration;
import java.util.List;

/**
 * One data-quality rule from {@code dq.rules}, already checked for shape (type known, parameters present and
 * well-formed). Whether its SQL resolves against {@code record.schema} is checked by the stream job, which has Spark.
 *
 * @param name     unique name; it is what quarantine reasons and metrics say ({@code rule:<name>})
 * @param type     one of {@link #TYPES}
 * @param column   Spark SQL expression the rule looks at (a field path such as {@code login.username} is the
 *                 common case); for {@code expr} the boolean expression itself; for {@code max_age} the event-time
 *                 expression ({@code dq.event_time} unless the rule names its own); may be null for
 *                 {@code unique_in_batch}, which then means {@code record.key}
 * @param quarantine true for action {@code quarantine} (the default), false for {@code warn} (counted only)
 * @param pattern    {@code regex}: a Java regular expression, as Spark's {@code rlike} reads it
 * @param values     {@code in_set}: the allowed values, compared as text
 * @param min        {@code range} / {@code length}: inclusive lower bound, null for none
 * @param max        {@code range} / {@code length}: inclusive upper bound, null for none
 * @param maxAge     {@code max_age}: oldest acceptable event age at the time the micro-batch runs
 */
public record DqRule(String name, String type, String column, boolean quarantine, String pattern, List<String> values,
                     Double min, Double max, Duration maxAge) {
    public static final String NOT_NULL = "not_null";
    public static final String REGEX = "regex";
    public static final String IN_SET = "in_set";
    public static final String RANGE = "range";
    public static final String LENGTH = "length";
    public static final String MAX_AGE = "max_age";
    public static final String UNIQUE_IN_BATCH = "unique_in_batch";
    public static final String EXPR = "expr";
    public static final List<String> TYPES = List.of(NOT_NULL, REGEX, IN_SET, RANGE, LENGTH, MAX_AGE, UNIQUE_IN_BATCH, EXPR);

    public DqRule {
        values = values == null ? List.of() : List.copyOf(values);
    }

    /** The name quarantine reasons and metrics use. */
    public String reason() {
        return "rule:" + name;
    }

    /** How the rule reads in messages: {@code dq.rules[email_format]}. */
    public String configKey() {
        return "dq.rules[" + name + "]";
    }
}
