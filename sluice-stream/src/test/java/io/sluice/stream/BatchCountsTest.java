package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.DqRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchCountsTest {
    private static final List<DqRule> RULES = List.of(
            new DqRule("email_present", DqRule.NOT_NULL, "email", true, null, null, null, null, null),
            new DqRule("gender_known", DqRule.IN_SET, "gender", false, null, List.of("f", "m"), null, null, null));

    @Test
    void tasksCountsMergeIntoTheSummaryTheCachedAggregationGave() {
        BatchCounts task1 = new BatchCounts(2);
        task1.add("users", 0, 10, null, true, false, new boolean[] {false, false});
        task1.add("users", 0, 11, null, true, true, new boolean[] {false, true}); // warn rule: written, warned
        task1.add("users", 0, 12, null, false, false, new boolean[] {true, false}); // quarantine rule
        BatchCounts task2 = new BatchCounts(2);
        task2.add("users", 2, 7, RecordParser.MALFORMED, false, false, new boolean[] {false, false});
        task2.add("users", 2, 5, RecordParser.MALFORMED, false, false, new boolean[] {false, false});
        task2.add("users", 1, 3, RecordParser.EMPTY_VALUE, false, false, new boolean[] {false, false});

        BatchSummary summary = BatchCounts.merge(List.of(task1, task2), 2).toSummary(RULES);

        assertThat(summary.inputRows()).isEqualTo(6);
        assertThat(summary.validRows()).isEqualTo(2);
        assertThat(summary.quarantinedRows()).isEqualTo(4);
        assertThat(summary.warnedRows()).isEqualTo(1);
        assertThat(summary.parseFailures()).containsOnly(
                Map.entry(RecordParser.EMPTY_VALUE, 1L), Map.entry(RecordParser.MALFORMED, 2L));
        assertThat(summary.ruleFailures()).containsEntry("email_present", 1L).containsEntry("gender_known", 1L);
        // Kafka's convention: the next offset to read, per partition, whatever order the rows came in.
        assertThat(summary.endOffsets()).containsOnlyKeys("users");
        assertThat(summary.endOffsets().get("users")).containsEntry(0, 13L).containsEntry(1, 4L).containsEntry(2, 8L);
        assertThat(summary.quarantineReasons(RULES)).containsOnly(
                Map.entry("parse:" + RecordParser.EMPTY_VALUE, 1L),
                Map.entry("parse:" + RecordParser.MALFORMED, 2L),
                Map.entry(RULES.get(0).reason(), 1L));
    }

    @Test
    void anEmptyBatchCountsNothing() {
        BatchSummary summary = BatchCounts.merge(List.of(), 0).toSummary(List.of());
        assertThat(summary.inputRows()).isZero();
        assertThat(summary.endOffsets()).isEmpty();
        assertThat(summary.failureRatio()).isZero();
    }
}
