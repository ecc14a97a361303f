package io.sluice.stream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Builds DataFrames shaped like the Kafka source's output, so parsing is tested without a broker. */
final class KafkaRows {
    static final StructType KAFKA_SCHEMA = new StructType()
            .add("key", DataTypes.BinaryType)
            .add("value", DataTypes.BinaryType)
            .add("topic", DataTypes.StringType)
            .add("partition", DataTypes.IntegerType)
            .add("offset", DataTypes.LongType);

    private KafkaRows() {
    }

    /** One row per value, all in partition 0 of topic {@code t}, offsets 0, 1, 2...; a null value stays null. */
    static Dataset<Row> of(String... values) {
        byte[][] bytes = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = values[i] == null ? null : values[i].getBytes(StandardCharsets.UTF_8);
        }
        return ofBytes(bytes);
    }

    /** Like {@link #of(String...)} with raw bytes, for values that are not valid UTF-8. */
    static Dataset<Row> ofBytes(byte[]... values) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            rows.add(RowFactory.create(null, values[i], "t", 0, (long) i));
        }
        return LocalSpark.get().createDataFrame(rows, KAFKA_SCHEMA);
    }
}
