package io.sluice.stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.sluice.config.DqRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Counts of one checked micro-batch, computed in a single small aggregation: rows in, valid, quarantined and warned;
 * parse failures by detail; failures per rule; and per Kafka partition the next offset after this batch.
 */
public record BatchSummary(long inputRows, long validRows, long quarantinedRows, long warnedRows,
                           Map<String, Long> parseFailures, Map<String, Long> ruleFailures,
                           Map<String, Map<Integer, Long>> endOffsets) {

    /** Rows written to the table. */
    public long okRows() {
        return validRows;
    }

    public long skippedRows() {
        return quarantinedRows;
    }

    /** Quarantined share of the batch, 0 for an empty batch. */
    public double failureRatio() {
        return inputRows == 0 ? 0 : (double) quarantinedRows / inputRows;
    }

    /** Counts by quarantine reason ({@code parse:<detail>}, {@code rule:<name>} of quarantine rules only). */
    public Map<String, Long> quarantineReasons(List<DqRule> rules) {
        Map<String, Long> out = new TreeMap<>();
        parseFailures.forEach((detail, n) -> out.put(DataQuality.PARSE_PREFIX + detail, n));
        for (DqRule rule : rules) {
            long n = ruleFailures.getOrDefault(rule.name(), 0L);
            if (rule.quarantine() && n > 0) {
                out.put(rule.reason(), n);
            }
        }
        return out;
    }

    public static BatchSummary of(Dataset<Row> checked, List<DqRule> rules) {
        List<Column> aggregates = new ArrayList<>(List.of(
                count(lit(1)),
                max(col(RecordParser.OFFSET)),
                sum(when(col(DataQuality.VALID), 1).otherwise(0)),
                sum(when(col(DataQuality.VALID).and(col(DataQuality.WARNED)), 1).otherwise(0))));
        for (int i = 0; i < rules.size(); i++) {
            aggregates.add(sum(when(col(DataQuality.failColumn(i)), 1).otherwise(0)));
        }
        long input = 0;
        long valid = 0;
        long warned = 0;
        Map<String, Long> parse = new TreeMap<>();
        Map<String, Long> byRule = new LinkedHashMap<>();
        rules.forEach(r -> byRule.put(r.name(), 0L));
        Map<String, Map<Integer, Long>> offsets = new LinkedHashMap<>();
        for (Row row : checked.groupBy(col(RecordParser.TOPIC), col(RecordParser.PARTITION), col(RecordParser.PARSE_ERROR))
                .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
                .collectAsList()) {
            String topic = row.getString(0);
            int partition = row.getInt(1);
            String error = row.isNullAt(2) ? null : row.getString(2);
            long rows = row.getLong(3);
            long nextOffset = row.getLong(4) + 1; // Kafka's convention: the next offset to read
            input += rows;
            valid += row.getLong(5);
            warned += row.getLong(6);
            if (error != null) {
                parse.merge(error, rows, Long::sum);
            }
            for (int i = 0; i < rules.size(); i++) {
                byRule.merge(rules.get(i).name(), row.getLong(7 + i), Long::sum);
            }
            offsets.computeIfAbsent(topic, t -> new TreeMap<>()).merge(partition, nextOffset, Math::max);
        }
        return new BatchSummary(input, valid, input - valid, warned, parse, byRule, offsets);
    }
}
