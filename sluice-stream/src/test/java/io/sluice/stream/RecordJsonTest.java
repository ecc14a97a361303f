package io.sluice.stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.struct;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The one-pass read gives, for every record, exactly what Spark's {@code from_json}, the strict pass and the UTF-8 check
 * give: checked on records it reads itself and on records it leaves to Spark, through Spark's generated code.
 */
class RecordJsonTest {
    private static final String SCHEMA = "id STRING, name STRUCT<first: STRING, last: STRING>, age INT, big BIGINT, "
            + "score DOUBLE, ratio FLOAT, active BOOLEAN, postcode STRING, tags ARRAY<STRING>, "
            + "items ARRAY<STRUCT<label: STRING, n: INT>>, attrs MAP<STRING, STRING>, seen TIMESTAMP, "
            + "amount DECIMAL(10,2)";
    private static final StructType TYPE = StructType.fromDDL(SCHEMA);
    private static final String GOOD = """
            {"id":"u-1","name":{"first":"Somchai","last":"Jaidee"},"age":35,"big":9007199254740993,"score":-1.5e3,\
            "ratio":0.25,"active":true,"postcode":"10110","tags":["a","b",null],\
            "items":[{"label":"x","n":1},{"label":null}]}""";

    /** Records that fit the schema plainly: read in one pass, without Spark's parser. */
    private static final List<String> PLAIN = List.of(
            GOOD,
            "{}",
            "{\"id\":null,\"name\":null,\"age\":null,\"tags\":null,\"items\":null,\"attrs\":null,\"seen\":null}",
            "{\"name\":{\"first\":\"สมชาย\",\"last\":\"Jaidée 😀\"},\"id\":\"\\u00e9\\n\\\"q\\\"\"}",
            "{\"age\":-7,\"big\":-9223372036854775808,\"score\":3,\"ratio\":1e-3,\"active\":false}",
            "{\"score\":NaN,\"ratio\":-Infinity}",
            "{\"extra\":{\"deep\":[1,{\"x\":true}]},\"more\":[[[]]],\"n\":42,\"id\":\"after undeclared\"}",
            "  {\"id\":\"u\"}\n\r\t ",
            "{'id':'single quoted'}",
            "{\"postcode\":10110}",
            "{\"postcode\":-0}",
            "{\"postcode\":123456789012345678901234567890}",
            "{\"_sluice_corrupt_record\":\"a field named like the corrupt column is undeclared\",\"id\":\"x\"}",
            "{\"id\":\"" + "long text ".repeat(500) + "\"}",
            "{\"id\":\"the last ASCII character: \u007f\"}",
            "{\"id\":\"the last ASCII character \u007f, then the first that is not: \u0080\"}",
            "{\"id\":\"\\ud83d\\ude00 and a lone \\ud800\"}",
            "{\"id\":\"\",\"tags\":[\"\",\"x\",\"café\",\"\\\\\"],\"name\":{\"first\":\"\"}}");

    /** Records left to Spark's parser and the strict pass, for any reason. */
    private static final List<String> LEFT_TO_SPARK = List.of(
            "{\"attrs\":{\"k\":\"v\"}}",
            "{\"seen\":\"2026-11-30T12:00:00Z\"}",
            "{\"amount\":12.5}",
            "{\"age\":\"35\"}",
            "{\"age\":3000000000}",
            "{\"age\":1.5}",
            "{\"big\":99999999999999999999}",
            "{\"active\":\"true\"}",
            "{\"postcode\":1.50}",
            "{\"postcode\":true}",
            "{\"id\":42}",
            "{\"id\":{\"x\":1}}",
            "{\"tags\":\"a\"}",
            "{\"tags\":[\"a\",7]}",
            "{\"name\":\"x\"}",
            "{\"name\":[1]}",
            "{\"items\":[{\"n\":\"1\"}]}",
            "{\"id\":\"a\",\"id\":\"b\"}",
            "{\"id\":\"a\",\"id\":7}",
            GOOD + " garbage",
            GOOD + GOOD,
            GOOD + "}",
            "this is not json",
            "{\"name\": {\"first\": \"truncated\"",
            "[1, 2, 3]",
            "[{\"id\":\"an array of records\"}]",
            "42",
            "\"text\"",
            "null",
            "\n",
            "   ",
            "",
            "{\"id\":\"a\" /* comment */}",
            "{id:\"unquoted\"}",
            "{\"age\":007}",
            "{\"id\":\"a raw\ttab\"}");

    private final RecordJson json = new RecordJson(TYPE, Set.of("postcode"));

    @Test
    void plainRecordsAreReadInOnePassAndTheRestAreLeftToSpark() {
        for (String record : PLAIN) {
            assertThat(readsFast(bytes(record))).as("read in one pass: %s", record).isTrue();
        }
        for (String record : LEFT_TO_SPARK) {
            assertThat(readsFast(bytes(record))).as("left to Spark: %s", record).isFalse();
        }
        assertThat(readsFast(withUtf8Bom(GOOD))).as("a byte-order mark: Jackson would skip it, Spark's reader not").isFalse();
        assertThat(readsFast(GOOD.getBytes(StandardCharsets.UTF_16LE))).as("UTF-16: Jackson would detect it").isFalse();
        assertThat(readsFast(notUtf8())).as("bytes that are not UTF-8").isFalse();
    }

    @Test
    void everyRecordGetsFromJsonsRowTheStrictVerdictAndTheUtf8Verdict() {
        List<byte[]> records = new ArrayList<>();
        PLAIN.forEach(r -> records.add(bytes(r)));
        LEFT_TO_SPARK.forEach(r -> records.add(bytes(r)));
        records.add(withUtf8Bom(GOOD));
        records.add(GOOD.getBytes(StandardCharsets.UTF_16LE));
        records.add(notUtf8());

        Dataset<Row> values = LocalSpark.get().createDataset(records, Encoders.BINARY()).toDF("value")
                .select(col("value"), col("value").cast("string").as("text"));
        StructType withCorrupt = TYPE.add(RecordJson.CORRUPT, DataTypes.StringType, true);
        Column[] ours = Arrays.stream(withCorrupt.fieldNames()).map(name -> col("ours." + name).as(name))
                .toArray(Column[]::new);
        List<Row> rows = values
                .select(col("value"), json.parse(col("text")).as("ours"),
                        from_json(col("text"), withCorrupt, Map.of("mode", "PERMISSIVE",
                                "columnNameOfCorruptRecord", RecordJson.CORRUPT)).as("spark"))
                .select(col("value"), col("spark"), struct(ours).as("ours"),
                        col("ours." + RecordJson.STRICT), col("ours." + RecordJson.VALID_UTF8), col("ours").isNull())
                .collectAsList();

        assertThat(rows).hasSize(records.size());
        for (Row row : rows) {
            byte[] value = row.getAs(0);
            String what = new String(value, StandardCharsets.UTF_8);
            if (row.getBoolean(5)) {
                assertThat(row.isNullAt(1)).as("null only where from_json is null: %s", what).isTrue();
                continue;
            }
            assertThat(row.getStruct(2)).as("from_json's row: %s", what).isEqualTo(row.getStruct(1));
            assertThat(row.<String>getAs(3)).as("the strict verdict: %s", what)
                    .isEqualTo(new StrictJson(TYPE, Set.of("postcode")).check(value));
            assertThat(row.getBoolean(4)).as("the UTF-8 verdict: %s", what).isEqualTo(Utf8Check.valid(value));
        }
    }

    @Test
    void aRecordIsReadWithinItsOwnBytesWhereverTheyLie() {
        // Spark hands over a record as a view of a larger buffer (the Kafka row): what follows it is not the record's.
        byte[] alone = bytes(GOOD);
        byte[] inBuffer = bytes("\"}" + GOOD + "\"}]}");
        assertThat(json.plain(inBuffer, 2, alone.length, true))
                .containsExactly(json.plain(alone, 0, alone.length, true));

        byte[] truncated = bytes("{\"id\":\"cut here");
        byte[] truncatedInBuffer = bytes("{\"id\":\"cut here\"}");
        assertThat(json.plain(truncatedInBuffer, 0, truncated.length, true)).as("the closing quote is past its end").isNull();
        assertThat(json.plain(truncated, 0, truncated.length, true)).isNull();
    }

    private boolean readsFast(byte[] value) {
        return json.plain(value, 0, value.length, Utf8Check.valid(value)) != null;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] withUtf8Bom(String text) {
        byte[] body = bytes(text);
        byte[] out = new byte[body.length + 3];
        out[0] = (byte) 0xEF;
        out[1] = (byte) 0xBB;
        out[2] = (byte) 0xBF;
        System.arraycopy(body, 0, out, 3, body.length);
        return out;
    }

    private static byte[] notUtf8() {
        byte[] body = bytes("{\"id\":\"caf\u00e9\"}");
        byte[] out = Arrays.copyOf(body, body.length);
        out[10] = (byte) 0xC0; // an overlong form where é's first byte was
        return out;
    }
}
