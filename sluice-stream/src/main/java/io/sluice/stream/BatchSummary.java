package io.sluice.stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Counts of one parsed micro-batch, computed in a single small aggregation: rows in, rows to write, rows skipped by
 * reason, and per Kafka partition the next offset after this batch.
 */
public record BatchSummary(long inputRows, long okRows, Map<String, Long> skippedByReason,
                           Map<String, Map<Integer, Long>> endOffsets) {

    public long skippedRows() {
        return inputRows - okRows;
    }

    public static BatchSummary of(Dataset<Row> parsed) {
        long input = 0;
        long ok = 0;
        Map<String, Long> skipped = new TreeMap<>();
        Map<String, Map<Integer, Long>> offsets = new LinkedHashMap<>();
        for (Row row : parsed.groupBy(col(RecordParser.TOPIC), col(RecordParser.PARTITION), col(RecordParser.PARSE_ERROR))
                .agg(count(lit(1)), max(col(RecordParser.OFFSET)))
                .collectAsList()) {
            String topic = row.getString(0);
            int partition = row.getInt(1);
            String error = row.isNullAt(2) ? null : row.getString(2);
            long rows = row.getLong(3);
            long nextOffset = row.getLong(4) + 1; // Kafka's convention: the next offset to read
            input += rows;
            if (error == null) {
                ok += rows;
            } else {
                skipped.merge(error, rows, Long::sum);
            }
            offsets.computeIfAbsent(topic, t -> new TreeMap<>()).merge(partition, nextOffset, Math::max);
        }
        return new BatchSummary(input, ok, skipped, offsets);
    }
}
