package io.sluice.stream;

import io.sluice.config.DqRule;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of one micro-batch gathered while its rows are written, one instance per Spark task, merged on the driver
 * into a {@link BatchSummary}. Counting in the write pass means a batch is read from Kafka and parsed once: no cache
 * of the whole batch and no second job just to count it.
 */
final class BatchCounts implements Serializable {
    private static final long serialVersionUID = 1L;

    private long input;
    private long valid;
    private long warned;
    private final Map<String, Long> parseFailures = new TreeMap<>();
    private final long[] ruleFailures;
    /** topic -> partition -> next offset to read after this batch (highest offset seen + 1). */
    private final Map<String, Map<Integer, Long>> endOffsets = new LinkedHashMap<>();
    /** The driver writer's requests of this task (empty for the connector). */
    private final WriteStats writes = new WriteStats();

    BatchCounts(int rules) {
        this.ruleFailures = new long[rules];
    }

    /** One row: its Kafka position, its parse error (null when it parsed), its verdict and which rules it failed. */
    void add(String topic, int partition, long offset, String parseError, boolean isValid, boolean isWarned,
             boolean[] failedRules) {
        input++;
        if (isValid) {
            valid++;
            if (isWarned) {
                warned++;
            }
        }
        if (parseError != null) {
            parseFailures.merge(parseError, 1L, Long::sum);
        }
        for (int i = 0; i < ruleFailures.length; i++) {
            if (failedRules[i]) {
                ruleFailures[i]++;
            }
        }
        endOffsets.computeIfAbsent(topic, t -> new TreeMap<>()).merge(partition, offset + 1, Math::max);
    }

    WriteStats writes() {
        return writes;
    }

    void addAll(BatchCounts other) {
        writes.addAll(other.writes);
        input += other.input;
        valid += other.valid;
        warned += other.warned;
        other.parseFailures.forEach((k, v) -> parseFailures.merge(k, v, Long::sum));
        for (int i = 0; i < ruleFailures.length; i++) {
            ruleFailures[i] += other.ruleFailures[i];
        }
        other.endOffsets.forEach((topic, partitions) -> partitions.forEach((partition, next) ->
                endOffsets.computeIfAbsent(topic, t -> new TreeMap<>()).merge(partition, next, Math::max)));
    }

    static BatchCounts merge(List<BatchCounts> parts, int rules) {
        BatchCounts total = new BatchCounts(rules);
        parts.forEach(total::addAll);
        return total;
    }

    BatchSummary toSummary(List<DqRule> rules) {
        Map<String, Long> byRule = new LinkedHashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            byRule.put(rules.get(i).name(), ruleFailures[i]);
        }
        return new BatchSummary(input, valid, input - valid, warned, new TreeMap<>(parseFailures), byRule, endOffsets);
    }
}
