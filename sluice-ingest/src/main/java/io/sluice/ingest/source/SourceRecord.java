package io.sluice.ingest.source;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One item a source delivers, in feed order: either a record for {@code kafka.topic}, or a payload the source could
 * not read, which goes to the dead-letter topic ({@code quarantine.topic}) with its original bytes and a reason.
 * Both travel the same ordered path, so a position after an unreadable payload is committed only once Kafka has
 * acknowledged the dead letter too: ingest never drops a payload silently.
 *
 * @param key       the record's natural key (becomes the Kafka key, so Kafka partitions and Cassandra upserts by it);
 *                  empty for a rejected payload
 * @param value     the record as compact JSON bytes, or a rejected payload's original bytes, untouched
 * @param position  where the item sits in its source, in the feed's own terms; committed back only after Kafka
 *                  acknowledged it
 * @param rejection null for a record; why the payload is a dead letter otherwise
 */
public record SourceRecord(String key, byte[] value, SourcePosition position, Rejection rejection) {
    public SourceRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(position, "position");
    }

    public SourceRecord(String key, byte[] value, SourcePosition position) {
        this(key, value, position, null);
    }

    /**
     * Why a payload could not become a record.
     *
     * @param reason a short code in the stream side's style, such as {@code ingest:not_json},
     *               {@code ingest:no_records}, {@code ingest:no_key}, {@code ingest:invalid_utf8}
     * @param detail one sentence naming paths and positions, never record contents
     */
    public record Rejection(String reason, String detail) {
        public Rejection {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** A payload for the dead-letter topic: its original bytes, where it sat in the feed, and why. */
    public static SourceRecord rejected(byte[] original, SourcePosition position, String reason, String detail) {
        return new SourceRecord("", original, position, new Rejection(reason, detail));
    }

    /** The same item at another position (the last item of a page or message carries the position after it). */
    public SourceRecord at(SourcePosition newPosition) {
        return new SourceRecord(key, value, newPosition, rejection);
    }

    public boolean isRejected() {
        return rejection != null;
    }

    /** Bytes this record costs against {@code producer.bytes_per_second}: key plus value. */
    public int sizeInBytes() {
        return key.getBytes(StandardCharsets.UTF_8).length + value.length;
    }

    @Override
    public String toString() {
        // Neither key nor value: record contents (keys can be e-mail addresses) stay out of logs.
        return "SourceRecord[" + value.length + " bytes, position=" + position
                + (rejection == null ? "" : ", rejected " + rejection.reason()) + "]";
    }
}
