package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.ConfigException;
import io.sluice.config.PipelineConfig;
import io.sluice.config.PipelineFileReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Rules compiled to columns, on a local Spark: every rule type, parse details, and rule validation. */
class DataQualityTest {
    static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");
    static final String RULES = """
            dq:
              event_time: registered.date
              max_record_bytes: 4KiB
              rules:
                - {name: email_present, type: not_null, column: email}
                - {name: email_format, type: regex, column: email, pattern: "^[^@\\\\s]+@[^@\\\\s]+$"}
                - {name: gender_known, type: in_set, column: gender, values: [male, female]}
                - {name: age_range, type: range, column: dob.age, min: 0, max: 130}
                - {name: username_length, type: length, column: login.username, min: 3, max: 32}
                - {name: fresh, type: max_age, max_age: 4000d}
                - {name: one_per_key, type: unique_in_batch}
                - {name: adult, type: expr, expr: "dob.age >= 18", action: warn}
            """;

    static PipelineConfig config(String extraYaml) throws Exception {
        String demo = DemoPipeline.textWithoutRules();
        Map<String, Object> flat = PipelineFileReader.parse(new StringReader(demo + "\n" + extraYaml),
                PipelineConfig.DEFINITION, "test.yaml");
        return PipelineConfig.from(flat, Map.of(), "test.yaml");
    }

    static String user(String uuid, Map<String, String> replace) {
        String json = DemoPipeline.user(uuid);
        for (var e : replace.entrySet()) {
            assertThat(json).as("test fixture contains %s", e.getKey()).contains(e.getKey());
            json = json.replace(e.getKey(), e.getValue());
        }
        return json;
    }

    private static Map<Long, String> verdicts(PipelineConfig config, Dataset<Row> kafka) {
        RecordParser parser = RecordParser.fromConfig(config);
        DataQuality quality = DataQuality.fromConfig(config);
        Dataset<Row> checked = quality.apply(parser.parse(kafka), NOW);
        Map<Long, String> out = new TreeMap<>();
        for (Row r : checked.select(RecordParser.OFFSET, DataQuality.REASONS, DataQuality.WARNINGS, DataQuality.VALID,
                DataQuality.WARNED).collectAsList()) {
            List<String> reasons = r.getList(1);
            List<String> warnings = r.getList(2);
            // The flags are computed apart from the arrays (the write path reads only the flags): they must agree.
            assertThat(r.getBoolean(3)).as("valid flag of offset %d, reasons %s", r.getLong(0), reasons)
                    .isEqualTo(reasons.isEmpty());
            assertThat(r.getBoolean(4)).as("warned flag of offset %d, warnings %s", r.getLong(0), warnings)
                    .isEqualTo(!warnings.isEmpty());
            out.put(r.getLong(0), String.join(",", reasons) + (warnings.isEmpty() ? "" : " warn:" + String.join(",", warnings)));
        }
        return out;
    }

    @Test
    void everyBadRecordGetsEveryReasonItEarned() throws Exception {
        PipelineConfig config = config(RULES);
        Dataset<Row> kafka = KafkaRows.ofBytes(
                bytes(DemoPipeline.user("good-1")),
                bytes("{not json"),
                new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
                bytes("   "),
                null,
                bytes("{\"login\":{\"uuid\":\"x\"},\"pad\":\"" + "x".repeat(5000) + "\"}"),
                bytes(user("bad-email", Map.of("somchai@example.com", "not-an-email"))),
                bytes(user("two-rules", Map.of("somchai@example.com", "nope", "\"female\"", "\"robot\""))),
                bytes(user("old-age", Map.of("\"age\":35", "\"age\":300"))),
                bytes(user("short-name", Map.of("bluecat42", "ab"))),
                bytes(user("stale", Map.of("2015-01-02T03:04:05.000Z", "1990-01-02T03:04:05.000Z"))),
                bytes(user("dup", Map.of())),
                bytes(user("dup", Map.of())),
                bytes(user("minor", Map.of("\"age\":35", "\"age\":12"))),
                bytes(user("no-email", Map.of("\"email\":\"somchai@example.com\",", ""))),
                bytes("{\"login\":{\"uuid\":\"garbage\"},\"name\":\"should be a struct\"}"),
                bytes("[{\"login\":{\"uuid\":\"in-an-array\"}}]"));

        Map<Long, String> verdicts = verdicts(config, kafka);

        assertThat(verdicts).as("reasons per Kafka offset").containsExactlyEntriesOf(new TreeMap<>(Map.ofEntries(
                Map.entry(0L, ""),
                Map.entry(1L, "parse:malformed"),
                Map.entry(2L, "parse:invalid_utf8"),
                Map.entry(3L, "parse:empty"),
                Map.entry(4L, "parse:empty"),
                Map.entry(5L, "parse:oversize"),
                Map.entry(6L, "rule:email_format"),
                Map.entry(7L, "rule:email_format,rule:gender_known"),
                Map.entry(8L, "rule:age_range"),
                Map.entry(9L, "rule:username_length"),
                Map.entry(10L, "rule:fresh"),
                Map.entry(11L, "rule:one_per_key"),
                Map.entry(12L, ""),
                Map.entry(13L, " warn:rule:adult"),
                Map.entry(14L, "rule:email_present"),
                Map.entry(15L, "parse:schema_mismatch"),
                Map.entry(16L, "parse:malformed"))));
    }

    @Test
    void summaryCountsRowsAndEveryRule() throws Exception {
        PipelineConfig config = config(RULES);
        DataQuality quality = DataQuality.fromConfig(config);
        Dataset<Row> checked = quality.apply(RecordParser.fromConfig(config).parse(KafkaRows.of(
                DemoPipeline.user("a"), "nope", user("b", Map.of("bluecat42", "ab")),
                user("c", Map.of("\"age\":35", "\"age\":12")))), NOW);

        BatchSummary summary = BatchSummary.of(checked, quality.rules());

        assertThat(summary.inputRows()).isEqualTo(4);
        assertThat(summary.validRows()).as("the warned record is still written").isEqualTo(2);
        assertThat(summary.quarantinedRows()).isEqualTo(2);
        assertThat(summary.warnedRows()).isEqualTo(1);
        assertThat(summary.parseFailures()).isEqualTo(Map.of("malformed", 1L));
        assertThat(summary.ruleFailures()).containsEntry("username_length", 1L).containsEntry("adult", 1L)
                .containsEntry("email_present", 0L).hasSize(8);
        assertThat(summary.quarantineReasons(quality.rules()))
                .isEqualTo(Map.of("parse:malformed", 1L, "rule:username_length", 1L));
    }

    @Test
    void ruleThatDoesNotResolveIsAConfigProblemNamingIt() throws Exception {
        PipelineConfig config = config("""
                dq:
                  rules:
                    - {name: typo, type: not_null, column: emial}
                    - {name: not_boolean, type: expr, expr: "dob.age + 1"}
                    - {name: fine, type: not_null, column: email}
                """);
        DataQuality quality = DataQuality.fromConfig(config);
        assertThatThrownBy(() -> quality.validate(LocalSpark.get(), RecordParser.fromConfig(config).schema(), "test.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("`dq.rules[typo].column` does not resolve against `record.schema`")
                .hasMessageContaining("`dq.rules[not_boolean].expr` must be a boolean expression")
                .hasMessageNotContaining("fine");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
