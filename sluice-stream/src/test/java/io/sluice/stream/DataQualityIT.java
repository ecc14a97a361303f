package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.cql.Row;
import io.sluice.stream.launch.StreamJobProcess;
import io.sluice.stream.launch.StreamProgress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data quality against real Kafka and Cassandra, the job in its own JVM as the CLI runs it: every kind of bad input
 * lands in the dead-letter topic and the quarantine table with the right reasons while every valid record is written;
 * a failure ratio above the threshold stops the job with a sentence naming the rules; a checkpoint of another topic is
 * refused in plain words.
 */
class DataQualityIT {
    private static final String RULES = """

            dq:
              event_time: registered.date
              max_record_bytes: 8KiB
              halt:
                window: 3
                min_rows: 100
              rules:
                - {name: email_present, type: not_null, column: email}
                - {name: email_format, type: regex, column: email, pattern: "^[^@\\\\s]+@[^@\\\\s]+\\\\.[a-z]+$"}
                - {name: gender_known, type: in_set, column: gender, values: [male, female]}
                - {name: age_range, type: range, column: dob.age, min: 0, max: 130}
                - {name: username_length, type: length, column: login.username, min: 3, max: 40}
                - {name: fresh, type: max_age, max_age: 36500d}
                - {name: one_per_key, type: unique_in_batch}
                - {name: phone_plausible, type: expr, expr: "length(phone) >= 5"}
                - {name: adult, type: expr, expr: "dob.age >= 18", action: warn}
            """;

    @TempDir
    static Path dir;
    private static RealStack real;
    private static Path pipeline;

    @BeforeAll
    static void start() throws Exception {
        real = new RealStack(dir);
        pipeline = dir.resolve("dq-users.yaml");
        Files.writeString(pipeline, DemoPipeline.textWithoutRules() + RULES);
    }

    @AfterAll
    static void stop() {
        if (real != null) {
            real.close();
        }
    }

    /** One record to produce: where it goes and what should become of it (null reason = written to the table). */
    private record Case(String kind, int partition, byte[] value, String reasons, String key) {
    }

    private static Case valid(String kind, int partition, String uuid, Map<String, String> replace) {
        return new Case(kind, partition, bytes(DataQualityTest.user(uuid, replace)), null, uuid);
    }

    private static Case bad(String kind, int partition, byte[] value, String reasons) {
        return new Case(kind, partition, value, reasons, null);
    }

    private static Case bad(String kind, int partition, String uuid, Map<String, String> replace, String reasons) {
        return bad(kind, partition, bytes(DataQualityTest.user(uuid, replace)), reasons);
    }

    private static List<Case> badInput() {
        Map<String, String> none = Map.of();
        return List.of(
                bad("not json", 0, bytes("this is not json"), "parse:malformed"),
                bad("truncated json", 1, bytes("{\"name\": {\"first\": \"trunc"), "parse:malformed"),
                bad("json array", 0, bytes("[1, 2, 3]"), "parse:malformed"),
                bad("json number", 1, bytes("42"), "parse:malformed"),
                bad("json string", 0, bytes("\"just a string\""), "parse:malformed"),
                bad("json null", 1, bytes("null"), "parse:malformed"),
                bad("deeply nested garbage", 0, bytes("[".repeat(3000) + "]".repeat(3000)), "parse:malformed"),
                bad("empty value", 1, new byte[0], "parse:empty"),
                bad("null value (tombstone)", 0, null, "parse:empty"),
                bad("whitespace only", 1, bytes("     "), "parse:empty"),
                bad("invalid utf-8", 0, new byte[] {'{', '"', 'e', 'm', 'a', 'i', 'l', '"', ':', '"', (byte) 0xC3, (byte) 0x28,
                        (byte) 0xFF, '"', '}'}, "parse:invalid_utf8"),
                bad("oversize value", 1, bytes("{\"login\":{\"uuid\":\"big\"},\"pad\":\"" + "x".repeat(20_000) + "\"}"),
                        "parse:oversize"),
                bad("wrong type", 0, "wrong-type", Map.of("\"age\":35", "\"age\":\"thirty-five\""), "parse:schema_mismatch"),
                bad("nested garbage: string for a struct", 1,
                        bytes("{\"login\":{\"uuid\":\"nested-1\"},\"name\":\"should be a struct\"}"), "parse:schema_mismatch"),
                bad("nested garbage: array for a struct", 0, "nested-2",
                        Map.of("\"street\":{\"number\":42,\"name\":\"Sukhumvit Rd\"}", "\"street\":[1,[2,{}]]"),
                        "parse:schema_mismatch"),
                // Strict parsing: records from_json would read "fine", losing data or turning it into text.
                bad("trailing data after the object", 0, bytes(DemoPipeline.user("trailing") + " garbage"),
                        "parse:trailing_data"),
                bad("stray closing brace", 1, bytes(DemoPipeline.user("brace") + "}"), "parse:trailing_data"),
                bad("two values in one record", 0, bytes(DemoPipeline.user("two-a") + DemoPipeline.user("two-b")),
                        "parse:multiple_values"),
                bad("one value per line", 1, bytes(DemoPipeline.user("line-a") + "\n" + DemoPipeline.user("line-b")),
                        "parse:multiple_values"),
                bad("object where STRING is declared", 0, "object-text", Map.of("\"Somchai\"", "{\"given\":\"Somchai\"}"),
                        "parse:type_mismatch:name.first"),
                bad("boolean where STRING is declared", 1, "bool-text", Map.of("\"female\"", "true"),
                        "parse:type_mismatch:gender"),
                bad("numeric key", 0, "4242", Map.of("\"4242\"", "4242"), "parse:type_mismatch:login.uuid"),
                bad("missing key field", 1, bytes("{\"email\":\"a@b.co\",\"login\":{\"username\":\"nokey\"}}"), "parse:missing_key"),
                bad("null key", 0, bytes("{\"email\":\"a@b.co\",\"login\":{\"uuid\":null}}"), "parse:missing_key"),
                bad("empty object", 1, bytes("{}"), "parse:missing_key"),
                bad("missing required field", 0, "no-email", Map.of("\"email\":\"somchai@example.com\",", ""),
                        "rule:email_present"),
                bad("bad email", 1, "bad-email", Map.of("somchai@example.com", "somchai.example.com"), "rule:email_format"),
                bad("unknown gender", 0, "bad-gender", Map.of("\"female\"", "\"robot\""), "rule:gender_known"),
                bad("age out of range", 1, "bad-age", Map.of("\"age\":35", "\"age\":-5"), "rule:age_range"),
                bad("username too long", 0, "long-name", Map.of("bluecat42", "u".repeat(100)), "rule:username_length"),
                bad("stale event", 1, "stale", Map.of("2015-01-02T03:04:05.000Z", "1901-01-02T03:04:05.000Z"), "rule:fresh"),
                bad("unreadable event time", 0, "no-time", Map.of("2015-01-02T03:04:05.000Z", "yesterday-ish"), "rule:fresh"),
                bad("implausible phone (expr rule)", 1, "bad-phone", Map.of("02-123-4567", "1"), "rule:phone_plausible"),
                bad("several rules at once", 0, "many", Map.of("somchai@example.com", "nope", "\"female\"", "\"x\"",
                        "\"age\":35", "\"age\":500"), "rule:email_format,rule:gender_known,rule:age_range"),
                // The first copy of a key seen twice in one batch; the later copy (below, same partition) is written.
                bad("duplicate in one batch (older copy)", 1, "dup-key", Map.of("Somchai", "Older"), "rule:one_per_key"));
    }

    @Test
    void everyBadRecordIsQuarantinedWithItsReasonsAndEveryValidRecordIsWritten() throws Exception {
        String topic = "dq_users";
        String keyspace = "it_dq";
        real.createTopic(topic, 2);
        List<Case> cases = new ArrayList<>(badInput());
        for (int i = 0; i < 300; i++) {
            // Every tenth postcode is a JSON number, as randomuser.me sends them: the demo's record.numbers_as_text.
            Map<String, String> replace = i % 10 == 0
                    ? Map.of("Somchai", "First" + i, "\"postcode\":\"10110\"", "\"postcode\":" + (10110 + i))
                    : Map.of("Somchai", "First" + i);
            cases.add(valid("valid", i % 2, "user-" + i, replace));
        }
        cases.add(valid("warned minor (warn rule only)", 0, "minor", Map.of("\"age\":35", "\"age\":12")));
        cases.add(valid("duplicate in one batch (newest copy)", 1, "dup-key", Map.of("Somchai", "Newer")));
        real.produce(topic, cases.stream().map(c -> new ProducerRecord<>(topic, c.partition(),
                c.key() == null ? null : bytes(c.key()), c.value())).toList());
        Map<String, Case> byPosition = positions(cases);

        StreamJobProcess job = real.job(pipeline, "dq", dir.resolve("data"))
                .withOverride("kafka.topic", topic)
                .withOverride("sink.keyspace", keyspace)
                .withOverride("stream.checkpoint_dir", dir.resolve("checkpoints/dq").toString())
                .withOverride("stream.max_offsets_per_trigger", "5000") // one batch, so the duplicate pair meets
                .withOverride("sink.ttl_column", "CASE WHEN gender = 'male' THEN 3600 ELSE 7200 END")
                .withOverride("sink.time_bucket.column", "bucket")
                .withOverride("sink.time_bucket.expression", "substring(registered.date, 1, 7)")
                .withOverride("sink.batch_grouping", "partition")
                .withOverride("sink.batch_size_rows", "16")
                .withAvailableNow(true);
        int exit = RealStack.runToEnd(job, Duration.ofMinutes(5));
        List<StreamProgress> batches = job.readProgress().stream().filter(StreamProgress::isBatch).toList();
        batches.forEach(b -> System.out.println("[DataQualityIT] " + b.toJson()));
        assertThat(exit).as("the job drains the topic and exits 0 (it never halts on this mix); log tail:%n%s",
                String.join("\n", job.logTail(40))).isZero();

        List<Case> bad = cases.stream().filter(c -> c.reasons() != null).toList();
        List<Case> good = cases.stream().filter(c -> c.reasons() == null).toList();
        System.out.printf("[DataQualityIT] %d kinds of bad input, %d bad records, %d valid records%n",
                bad.stream().map(Case::kind).distinct().count(), bad.size(), good.size());
        assertThat(bad.stream().map(Case::kind).distinct().count()).isGreaterThanOrEqualTo(20);

        // The table: every valid record, nothing else, with its own contents and its per-row TTL.
        Map<String, String> rows = new HashMap<>();
        for (Row r : real.cql.execute("SELECT id, bucket, first_name, post_code, gender, TTL(first_name) AS ttl FROM "
                + keyspace + ".created_users")) {
            rows.put(r.getUuid("id").toString(), r.getString("first_name") + "|" + r.getString("post_code") + "|"
                    + r.getString("bucket"));
            assertThat(r.getInt("ttl")).as("per-row TTL from sink.ttl_column (female -> 7200 s)").isBetween(7000, 7200);
        }
        Map<String, String> expected = new HashMap<>();
        for (Case c : good) {
            int n = c.key().startsWith("user-") ? Integer.parseInt(c.key().substring(5)) : -1;
            String first = n >= 0 ? "First" + n : c.key().equals("dup-key") ? "Newer" : "Somchai";
            String postcode = n >= 0 && n % 10 == 0 ? Integer.toString(10110 + n) : "10110";
            expected.put(uuidOf(c.key()), first + "|" + postcode + "|2015-01");
        }
        assertThat(rows).as("the table holds exactly the valid records (numeric postcodes as their text), keyed by "
                + "name-based UUID, bucketed by month").isEqualTo(expected);

        // The quarantine table: every bad record by Kafka position, with every reason and its original bytes.
        Map<String, String> quarantined = new TreeMap<>();
        for (Row r : real.cql.execute("SELECT source_topic, source_partition, source_offset, reasons, raw_value, "
                + "TTL(pipeline) AS ttl FROM " + keyspace + ".created_users_quarantine")) {
            String position = r.getInt("source_partition") + "@" + r.getLong("source_offset");
            quarantined.put(position, String.join(",", r.getList("reasons", String.class)));
            Case c = byPosition.get(position);
            assertThat(bytesOf(r.getByteBuffer("raw_value"))).as("original bytes of '%s'", c.kind()).isEqualTo(c.value());
            assertThat(r.getInt("ttl")).as("quarantine.ttl default 7d").isBetween(600_000, 604_800);
            assertThat(r.getString("source_topic")).isEqualTo(topic);
        }
        Map<String, String> expectedQuarantine = new TreeMap<>();
        byPosition.forEach((position, c) -> {
            if (c.reasons() != null) {
                expectedQuarantine.put(position, c.reasons());
            }
        });
        assertThat(quarantined).as("quarantine table: position -> reasons").isEqualTo(expectedQuarantine);

        // The dead-letter topic: original key and value bytes, reasons and source position in headers.
        List<ConsumerRecord<byte[], byte[]>> dlq = real.readAll(topic + ".dlq", bad.size());
        Map<String, String> dead = new TreeMap<>();
        for (var record : dlq) {
            Map<String, String> headers = headers(record.headers().toArray());
            String position = headers.get("sluice.source.partition") + "@" + headers.get("sluice.source.offset");
            dead.put(position, headers.get("sluice.reasons"));
            assertThat(headers.get("sluice.source.topic")).isEqualTo(topic);
            Case c = byPosition.get(position);
            assertThat(record.value()).as("dead-letter value of '%s' is the original bytes", c.kind()).isEqualTo(c.value());
        }
        assertThat(dlq).as("one dead-letter record per bad record").hasSize(bad.size());
        assertThat(dead).as("dead-letter topic: position -> reasons").isEqualTo(expectedQuarantine);

        // Metrics: one row per batch, keyed by pipeline and batch id, and the same figures in the progress file.
        long in = 0;
        long valid = 0;
        long quarantinedRows = 0;
        Map<String, Long> byRule = new TreeMap<>();
        for (Row r : real.cql.execute("SELECT * FROM " + keyspace + ".created_users_dq_metrics WHERE pipeline = 'demo_users'")) {
            in += r.getLong("rows_in");
            valid += r.getLong("rows_valid");
            quarantinedRows += r.getLong("rows_quarantined");
            r.getMap("rule_failures", String.class, Long.class).forEach((k, v) -> byRule.merge(k, v, Long::sum));
        }
        System.out.printf("[DataQualityIT] metrics: in %d, valid %d, quarantined %d, by rule %s%n", in, valid,
                quarantinedRows, byRule);
        assertThat(in).isEqualTo(cases.size());
        assertThat(valid).isEqualTo(good.size());
        assertThat(quarantinedRows).isEqualTo(bad.size());
        assertThat(byRule).as("a record failing two rules counts for both (the -5 age also fails `adult`)")
                .containsEntry("email_format", 2L).containsEntry("fresh", 2L).containsEntry("adult", 2L)
                .containsEntry("one_per_key", 1L);
        assertThat(batches.stream().mapToLong(StreamProgress::rowsWarned).sum()).as("the minor is written and warned")
                .isEqualTo(1);
        assertThat(batches.get(0).failedByRule()).as("the progress line carries the per-rule counts")
                .containsKeys("email_present", "email_format", "adult");
    }

    @Test
    void aFailureRatioAboveTheThresholdStopsTheJobNamingTheRules() throws Exception {
        String topic = "dq_halt";
        real.createTopic(topic, 2);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            // Four in five records have a broken email address: an upstream bug, not noise.
            String email = i % 5 == 0 ? "somchai@example.com" : "broken-address";
            records.add(new ProducerRecord<>(topic, i % 2, null,
                    bytes(DataQualityTest.user("halt-" + i, Map.of("somchai@example.com", email)))));
        }
        real.produce(topic, records);

        StreamJobProcess job = real.job(pipeline, "halt", dir.resolve("data"))
                .withOverride("kafka.topic", topic)
                .withOverride("sink.keyspace", "it_halt")
                .withOverride("stream.checkpoint_dir", dir.resolve("checkpoints/halt").toString())
                .withOverride("stream.max_offsets_per_trigger", "100")
                .withOverride("stream.trigger_interval", "500ms");
        job.start();
        var exit = job.waitFor(Duration.ofMinutes(4));
        if (exit.isEmpty()) {
            job.stopGracefully(Duration.ofSeconds(30));
        }
        List<StreamProgress> progress = job.readProgress();
        StreamProgress last = progress.get(progress.size() - 1);
        System.out.println("[DataQualityIT] halt: exit " + exit + ", " + last.toJson());

        assertThat(exit).as("the job stops by itself with exit code 3; log tail:%n%s", String.join("\n", job.logTail(30)))
                .hasValue(StreamJob.HALTED);
        assertThat(last.event()).isEqualTo(StreamProgress.STOPPED);
        assertThat(last.reason()).as("the stopped line says why and names the failing rule")
                .startsWith("halted: data quality halt: 80% of the 300 records in the last 3 micro-batches were quarantined")
                .contains("`dq.halt.max_failure_ratio` 50%")
                .contains("rule:email_format (240)");
        assertThat(progress.stream().filter(StreamProgress::isBatch).count())
                .as("it stops as soon as one full window is over the limit, not after the whole topic").isEqualTo(3);
    }

    @Test
    void aCheckpointWrittenForAnotherTopicIsRefusedInPlainWords() throws Exception {
        real.createTopic("users_created_cp", 1);
        real.produce("users_created_cp", List.of(new ProducerRecord<>("users_created_cp", 0, null,
                bytes(DemoPipeline.user("cp-1")))));
        Path checkpoint = dir.resolve("checkpoints/cp");
        StreamJobProcess first = real.job(pipeline, "cp_first", dir.resolve("data"))
                .withOverride("kafka.topic", "users_created_cp")
                .withOverride("sink.keyspace", "it_cp")
                .withOverride("stream.checkpoint_dir", checkpoint.toString())
                .withAvailableNow(true);
        assertThat(RealStack.runToEnd(first, Duration.ofMinutes(3))).as("first run; log tail:%n%s",
                String.join("\n", first.logTail(30))).isZero();

        StreamJobProcess second = real.job(pipeline, "cp_second", dir.resolve("data"))
                .withOverride("kafka.topic", "users_v2")
                .withOverride("sink.keyspace", "it_cp")
                .withOverride("stream.checkpoint_dir", checkpoint.toString())
                .withAvailableNow(true);
        int exit = RealStack.runToEnd(second, Duration.ofMinutes(2));
        String sentence = "The checkpoint at " + checkpoint + " was written for topic users_created_cp, but the pipeline "
                + "now reads users_v2. Point stream.checkpoint_dir at a new directory to start over, or restore the old topic.";
        System.out.println("[DataQualityIT] checkpoint mismatch: exit " + exit + ", " + String.join(" | ", second.logTail(3)));

        assertThat(exit).as("a checkpoint of another topic is a configuration problem: exit 2").isEqualTo(StreamJob.BAD_CONFIG);
        assertThat(second.logTail(20)).as("stderr says what changed and what to do").contains(sentence);
        List<StreamProgress> progress = second.readProgress();
        assertThat(progress.get(progress.size() - 1).reason()).isEqualTo("refused: " + sentence);
    }

    /** Kafka position ("partition@offset") -> case: records go to their partition in list order, from offset 0. */
    private static Map<String, Case> positions(List<Case> cases) {
        Map<String, Case> out = new LinkedHashMap<>();
        Map<Integer, Long> next = new HashMap<>();
        for (Case c : cases) {
            long offset = next.merge(c.partition(), 1L, Long::sum) - 1;
            out.put(c.partition() + "@" + offset, c);
        }
        return out;
    }

    private static Map<String, String> headers(Header[] headers) {
        return Arrays.stream(headers).collect(Collectors.toMap(Header::key,
                h -> new String(h.value(), StandardCharsets.UTF_8), (a, b) -> b));
    }

    private static String uuidOf(String key) {
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static byte[] bytesOf(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
