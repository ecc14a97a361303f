package io.sluice.ingest.source;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One record from a source.
 *
 * @param key      the record's natural key (becomes the Kafka key, so Kafka partitions and Cassandra upserts by it)
 * @param value    the record as compact JSON bytes
 * @param position where the record sits in its source; committed back only after Kafka acknowledged it
 */
public record SourceRecord(String key, byte[] value, SourcePosition position) {
    public SourceRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(position, "position");
    }

    /** Bytes this record costs against {@code producer.bytes_per_second}: key plus value. */
    public int sizeInBytes() {
        return key.getBytes(StandardCharsets.UTF_8).length + value.length;
    }

    @Override
    public String toString() {
        // Neither key nor value: record contents (keys can be e-mail addresses) stay out of logs.
        return "SourceRecord[" + value.length + " bytes, position=" + position + "]";
    }
}
