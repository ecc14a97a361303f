package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.apache.spark.sql.functions.col;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class NameUuidTest {

    @Test
    void matchesJavaNameUuidFromBytesForManyKeys() {
        List<String> keys = sampleKeys();
        Dataset<Row> df = LocalSpark.get().createDataset(keys, Encoders.STRING()).toDF("key");
        List<Row> rows = df.select(col("key"), NameUuid.of(col("key")).as("id")).collectAsList();

        assertThat(rows).hasSize(keys.size());
        for (Row row : rows) {
            String key = row.getString(0);
            String expected = UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
            assertThat(row.getString(1)).as("Spark's UUID for key '%s' equals Java's nameUUIDFromBytes", key)
                    .isEqualTo(expected);
        }
    }

    @Test
    void nullKeyGivesNullUuid() {
        Dataset<Row> df = LocalSpark.get().sql("SELECT CAST(NULL AS STRING) AS key");
        Row row = df.select(NameUuid.of(col("key"))).first();
        assertThat(row.isNullAt(0)).as("a null key has no UUID, rather than a made-up one").isTrue();
    }

    /** Random UUID strings, ASCII, non-ASCII (multi-byte UTF-8), empty, and long keys; seeded so a failure repeats. */
    private static List<String> sampleKeys() {
        Random random = new Random(42);
        List<String> keys = new ArrayList<>(List.of("", "a", "login.uuid", "ผู้ใช้-42", "日本語キー", "emoji-\uD83D\uDE00",
                "x".repeat(10_000), "8b4c1e3e-5a4f-4f3e-9a6b-2f1d7c0e9a11"));
        for (int i = 0; i < 2_000; i++) {
            keys.add(new UUID(random.nextLong(), random.nextLong()).toString());
            byte[] bytes = new byte[1 + random.nextInt(40)];
            random.nextBytes(bytes);
            keys.add(new String(bytes, StandardCharsets.ISO_8859_1));
        }
        return keys;
    }
}
