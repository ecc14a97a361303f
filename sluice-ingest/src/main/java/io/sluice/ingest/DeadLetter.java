package io.sluice.ingest;

import io.sluice.ingest.source.SourceRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The dead-letter record for a payload a source could not read, in the same shape the stream job uses for the
 * records it quarantines ({@code QuarantineWriter}): the value is the original bytes, untouched, and everything Sluice
 * adds is in UTF-8 headers, so one consumer reads both kinds.
 *
 * <ul>
 *   <li>{@code sluice.reasons}: the reason code, e.g. {@code ingest:not_json};</li>
 *   <li>{@code sluice.detail}: one sentence naming paths and positions, never record contents;</li>
 *   <li>{@code sluice.stage}: {@code ingest} (the stream job's are {@code stream}-side Kafka positions instead);</li>
 *   <li>{@code sluice.source}: the source type and its address without query string (query strings carry keys);</li>
 *   <li>{@code sluice.source.position}: the feed's own position of the payload;</li>
 *   <li>{@code sluice.pipeline}: {@code pipeline.name}.</li>
 * </ul>
 * The key is null: an unreadable payload has no natural key.
 */
final class DeadLetter {
    static final String REASONS = "sluice.reasons";
    static final String DETAIL = "sluice.detail";
    static final String STAGE = "sluice.stage";
    static final String SOURCE = "sluice.source";
    static final String POSITION = "sluice.source.position";
    static final String PIPELINE = "sluice.pipeline";

    private final String topic;
    private final String pipeline;
    private final String source;

    /**
     * @param topic    {@code quarantine.topic}
     * @param pipeline {@code pipeline.name}
     * @param source   where the payloads come from, safe to show (no query string, no user info)
     */
    DeadLetter(String topic, String pipeline, String source) {
        this.topic = topic;
        this.pipeline = pipeline;
        this.source = source;
    }

    String topic() {
        return topic;
    }

    ProducerRecord<String, byte[]> toRecord(SourceRecord rejected) {
        SourceRecord.Rejection why = rejected.rejection();
        List<Header> headers = List.of(
                header(REASONS, why.reason()),
                header(DETAIL, why.detail()),
                header(STAGE, "ingest"),
                header(SOURCE, source),
                header(POSITION, rejected.position().value()),
                header(PIPELINE, pipeline));
        return new ProducerRecord<>(topic, null, null, null, rejected.value(), headers);
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
