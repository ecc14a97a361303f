package io.sluice.ingest.source.push;

import io.sluice.ingest.source.JsonRecordExtractor;
import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.SourceRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one pushed payload (an SSE event's data, a WebSocket message) into records with the same
 * {@link JsonRecordExtractor} the REST source uses, so {@code source.records_path} and {@code record.key} mean the same
 * everywhere. Push APIs usually send one object per event; with an empty {@code source.records_path} such an object is
 * taken as a one-record array.
 *
 * <p>Positions: only the payload's last record carries the payload's own position; the ones before it carry the
 * previous payload's. The framework commits a position once every record up to it is acknowledged, so a crash half
 * way through a multi-record payload resumes at that payload instead of skipping its unacknowledged records.
 */
public final class PushRecordDecoder {
    private final JsonRecordExtractor extractor;
    private final boolean payloadIsTheRecord;

    public PushRecordDecoder(String recordsPath, String keyPath) {
        this.extractor = new JsonRecordExtractor(recordsPath, keyPath);
        this.payloadIsTheRecord = recordsPath == null || recordsPath.isBlank();
    }

    /**
     * @param payload  UTF-8 JSON
     * @param position where this payload sits in the source
     * @param previous the position of the payload before it (what is safe to commit while this one is half sent)
     */
    public JsonRecordExtractor.Extraction decode(byte[] payload, SourcePosition position, SourcePosition previous) {
        byte[] body = payloadIsTheRecord && startsWithObject(payload) ? asArray(payload) : payload;
        JsonRecordExtractor.Extraction extraction = extractor.extract(body, index -> position);
        List<SourceRecord> records = extraction.records();
        if (records.size() <= 1) {
            return extraction;
        }
        List<SourceRecord> repositioned = new ArrayList<>(records.size());
        for (int i = 0; i < records.size() - 1; i++) {
            SourceRecord r = records.get(i);
            repositioned.add(new SourceRecord(r.key(), r.value(), previous));
        }
        repositioned.add(records.get(records.size() - 1));
        return new JsonRecordExtractor.Extraction(repositioned, extraction.malformed());
    }

    private static boolean startsWithObject(byte[] payload) {
        for (byte b : payload) {
            if (b == '{') {
                return true;
            }
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return false;
    }

    /** Wraps the object in {@code [ ]} bytewise: cheaper than parsing twice, and a broken object stays broken. */
    private static byte[] asArray(byte[] object) {
        byte[] array = new byte[object.length + 2];
        array[0] = '[';
        System.arraycopy(object, 0, array, 1, object.length);
        array[array.length - 1] = ']';
        return array;
    }
}
