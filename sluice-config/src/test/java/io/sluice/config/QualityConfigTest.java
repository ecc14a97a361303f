package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dq.*, quarantine.* and write-control keys: one test per kind of invalid value. */
class QualityConfigTest {

    private static PipelineConfig withRules(String rulesYaml) {
        return PipelineConfigTest.parse(PipelineConfigTest.MINIMAL + "dq:\n  rules:\n" + rulesYaml, Map.of());
    }

    private static void assertProblem(String rulesYaml, String... fragments) {
        assertThatThrownBy(() -> withRules(rulesYaml)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(fragments));
    }

    @Test
    void readsEveryRuleTypeWithDefaults() {
        PipelineConfig config = PipelineConfigTest.parse(PipelineConfigTest.MINIMAL + """
                dq:
                  event_time: to_timestamp(ts)
                  rules:
                    - {name: email_present, type: not_null, column: email}
                    - {name: email_format, type: regex, column: email, pattern: "^[^@]+@[^@]+$"}
                    - {name: gender_known, type: in_set, column: gender, values: [male, female]}
                    - {name: age_range, type: range, column: age, min: 0, max: 130}
                    - {name: username_length, type: length, column: username, max: 64}
                    - {name: fresh, type: max_age, max_age: 30d, action: warn}
                    - {name: one_per_key, type: unique_in_batch}
                    - {name: adult, type: expr, expr: "age >= 18"}
                """, Map.of());
        assertThat(config.dqRules()).extracting(DqRule::name).containsExactly("email_present", "email_format",
                "gender_known", "age_range", "username_length", "fresh", "one_per_key", "adult");
        DqRule fresh = config.dqRules().get(5);
        assertThat(fresh.quarantine()).as("action warn only counts").isFalse();
        assertThat(fresh.column()).as("max_age reads dq.event_time").isEqualTo("to_timestamp(ts)");
        assertThat(fresh.maxAge()).isEqualTo(Duration.ofDays(30));
        assertThat(config.dqRules().get(0).quarantine()).as("quarantine is the default action").isTrue();
        assertThat(config.dqRules().get(2).values()).containsExactly("male", "female");
        assertThat(config.dqRules().get(3).min()).isEqualTo(0.0);
        assertThat(config.dqRules().get(7).column()).isEqualTo("age >= 18");
    }

    @Test
    void defaultsNameTheDerivedTopicAndTables() {
        PipelineConfig config = PipelineConfigTest.parse(PipelineConfigTest.MINIMAL, Map.of());
        assertThat(config.quarantineTopic()).isEqualTo("users_created.dlq");
        assertThat(config.quarantineTable()).isEqualTo("created_users_quarantine");
        assertThat(config.dqMetricsTable()).isEqualTo("created_users_dq_metrics");
        assertThat(config.quarantineTtl()).isEqualTo(Duration.ofDays(7));
        assertThat(config.dqRules()).isEmpty();
        assertThat(config.dqHaltWindow()).isEqualTo(new HaltWindow(10, null));
        assertThat(config.sinkBatchGrouping()).isEqualTo("partition");
        assertThat(config.sinkBatchSizeRows()).isNull();
        assertThat(config.sinkBatchSizeBytes()).isEqualTo(1024L);
    }

    @Test
    void unknownRuleTypeIsNamed() {
        assertProblem("    - {name: r1, type: not_empty, column: email}\n", "dq.rules[r1].type", "not_empty", "not_null");
    }

    @Test
    void ruleWithoutNameIsNamedByPosition() {
        assertProblem("    - {type: not_null, column: email}\n", "dq.rules[1]", "has no `name`");
    }

    @Test
    void duplicateRuleNamesAreRefused() {
        assertProblem("    - {name: r1, type: not_null, column: email}\n    - {name: r1, type: not_null, column: email}\n",
                "dq.rules[r1]", "declared twice");
    }

    @Test
    void missingColumnIsNamed() {
        assertProblem("    - {name: r1, type: not_null}\n", "dq.rules[r1].column", "is required");
    }

    @Test
    void badRegexIsNamed() {
        assertProblem("    - {name: r1, type: regex, column: email, pattern: \"([a-z\"}\n", "dq.rules[r1].pattern",
                "is not a valid regular expression");
    }

    @Test
    void missingRegexPatternIsNamed() {
        assertProblem("    - {name: r1, type: regex, column: email}\n", "dq.rules[r1].pattern", "is required");
    }

    @Test
    void emptyInSetIsNamed() {
        assertProblem("    - {name: r1, type: in_set, column: email, values: []}\n", "dq.rules[r1].values", "non-empty list");
    }

    @Test
    void rangeWithoutBoundsIsNamed() {
        assertProblem("    - {name: r1, type: range, column: age}\n", "dq.rules[r1]", "needs `min`, `max` or both");
    }

    @Test
    void rangeWithMinAboveMaxIsNamed() {
        assertProblem("    - {name: r1, type: range, column: age, min: 10, max: 1}\n", "dq.rules[r1].min", "must not be above");
    }

    @Test
    void negativeLengthIsNamed() {
        assertProblem("    - {name: r1, type: length, column: email, min: -1}\n", "dq.rules[r1].min", "whole number");
    }

    @Test
    void maxAgeWithoutEventTimeIsNamed() {
        assertProblem("    - {name: r1, type: max_age, max_age: 1d}\n", "dq.rules[r1]", "dq.event_time");
    }

    @Test
    void maxAgeWithBadDurationIsNamed() {
        assertProblem("    - {name: r1, type: max_age, column: ts, max_age: soon}\n", "dq.rules[r1].max_age", "duration");
    }

    @Test
    void exprRuleNeedsItsExpression() {
        assertProblem("    - {name: r1, type: expr}\n", "dq.rules[r1].expr", "is required");
    }

    @Test
    void unknownRuleParameterIsNamed() {
        assertProblem("    - {name: r1, type: not_null, column: email, pattern: x}\n", "dq.rules[r1].pattern",
                "is not a parameter of a not_null rule");
    }

    @Test
    void badActionIsNamed() {
        assertProblem("    - {name: r1, type: not_null, column: email, action: drop}\n", "dq.rules[r1].action",
                "quarantine or warn");
    }

    @Test
    void rulesCannotBeSetFromTheCommandLine() {
        assertThatThrownBy(() -> PipelineConfigTest.parse(PipelineConfigTest.MINIMAL, Map.of("dq.rules", "x")))
                .hasMessageContaining("`dq.rules`").hasMessageContaining("only be set in the pipeline file");
    }

    @Test
    void haltWindowTakesBatchesOrADuration() {
        assertThat(PipelineConfigTest.parse(PipelineConfigTest.MINIMAL, Map.of("dq.halt.window", "5m")).dqHaltWindow())
                .isEqualTo(new HaltWindow(0, Duration.ofMinutes(5)));
        assertThatThrownBy(() -> PipelineConfigTest.parse(PipelineConfigTest.MINIMAL, Map.of("dq.halt.window", "soon")))
                .hasMessageContaining("`dq.halt.window`").hasMessageContaining("number of batches");
    }

    @Test
    void haltRatioAboveOneIsRefused() {
        assertThatThrownBy(() -> PipelineConfigTest.parse(PipelineConfigTest.MINIMAL, Map.of("dq.halt.max_failure_ratio", "1.5")))
                .hasMessageContaining("`dq.halt.max_failure_ratio` must be between 0 and 1");
    }

    @Test
    void badBatchGroupingIsRefused() {
        assertThatThrownBy(() -> PipelineConfigTest.parse(PipelineConfigTest.MINIMAL, Map.of("sink.batch_grouping", "rack")))
                .hasMessageContaining("`sink.batch_grouping` must be one of none, replica_set, partition");
    }

    @Test
    void timeBucketNeedsBothKeys() {
        assertThatThrownBy(() -> PipelineConfigTest.parse(PipelineConfigTest.MINIMAL, Map.of("sink.time_bucket.column", "bucket")))
                .hasMessageContaining("`sink.time_bucket.expression` is required when `sink.time_bucket.column` is set");
    }

    @Test
    void quarantineTopicMustNotBeTheSourceTopic() {
        assertThatThrownBy(() -> PipelineConfigTest.parse(PipelineConfigTest.MINIMAL, Map.of("quarantine.topic", "users_created")))
                .hasMessageContaining("`quarantine.topic` must differ from `kafka.topic`");
    }

    @Test
    void quarantineTableMustNotBeTheSinkTable() {
        assertThatThrownBy(() -> PipelineConfigTest.parse(PipelineConfigTest.MINIMAL, Map.of("quarantine.table", "created_users")))
                .hasMessageContaining("`quarantine.table` must differ from `sink.table`");
    }
}
