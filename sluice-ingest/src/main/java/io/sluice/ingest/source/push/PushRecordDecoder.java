package io.sluice.ingest.source.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sluice.ingest.source.JsonRecordExtractor;
import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.SourceRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Turns one pushed payload (an SSE event's data, a WebSocket message) into items in feed order: records, and rejected
 * payloads or elements for the dead-letter topic (never dropped). It uses the REST source's
 * {@link JsonRecordExtractor}, so {@code source.records_path} and {@code record.key} mean the same everywhere; with an
 * empty {@code source.records_path} a single object is taken as a one-record array.
 *
 * <p>Control messages (heartbeats, acks: the value at {@code source.control_path} is one of
 * {@code source.control_values}) yield no items and never move the position.
 *
 * <p>Positions: the payload's position is either given by the transport (an SSE event id, a counted frame) or read
 * at {@code source.position_path} (the feed's own sequence number). Only the payload's last item carries it; the
 * ones before carry the previous payload's. The framework commits a position once every item up to it is
 * acknowledged, so a crash half way through a multi-record payload resumes at that payload instead of skipping its
 * unacknowledged records. A payload whose position cannot be read (not JSON, no field there) leaves it unmoved.
 */
public final class PushRecordDecoder {
    /** The position before anything was received: commits as "nothing", resumes as a first connect. */
    public static final SourcePosition NONE = SourcePosition.of("");

    private final JsonRecordExtractor extractor;
    private final boolean payloadIsTheRecord;
    private final String positionPath;
    private final String controlPath;
    private final Set<String> controlValues;

    /**
     * @param positionPath  dot path to the feed's position in each payload; null when the transport gives it
     * @param controlPath   dot path that marks control messages; null for none
     * @param controlValues values there that mark one
     */
    public PushRecordDecoder(String recordsPath, String keyPath, String positionPath, String controlPath,
                             Collection<String> controlValues) {
        this.extractor = new JsonRecordExtractor(recordsPath, keyPath);
        this.payloadIsTheRecord = recordsPath == null || recordsPath.isBlank();
        this.positionPath = positionPath;
        this.controlPath = controlPath;
        this.controlValues = Set.copyOf(controlValues);
    }

    /** Positions given by the transport, no control messages. */
    public PushRecordDecoder(String recordsPath, String keyPath) {
        this(recordsPath, keyPath, null, null, List.of());
    }

    /**
     * What one payload became.
     *
     * @param items    records and rejected items, in order; empty for a control message
     * @param position where the feed now stands, or null when this payload does not move it
     * @param control  the control value that made this a control message; null otherwise
     */
    public record Decoded(List<SourceRecord> items, SourcePosition position, String control) {
        public boolean isControl() {
            return control != null;
        }

        public boolean hasRecords() {
            return items.stream().anyMatch(item -> !item.isRejected());
        }
    }

    /**
     * @param payload  the payload's bytes, untouched (they are what a rejected payload carries)
     * @param given    the transport's position for this payload; null to read it at {@code source.position_path}
     * @param previous where the feed stood before this payload ({@link #NONE} at first)
     */
    public Decoded decode(byte[] payload, SourcePosition given, SourcePosition previous) {
        if (!isUtf8(payload)) {
            return rejectedWhole(payload, given, previous, JsonRecordExtractor.INVALID_UTF8, "the payload is not valid UTF-8");
        }
        JsonNode root;
        try {
            root = JsonRecordExtractor.parse(payload);
        } catch (IOException e) {
            return rejectedWhole(payload, given, previous, JsonRecordExtractor.NOT_JSON,
                    "the payload is not JSON (" + e.getClass().getSimpleName() + ")");
        }
        if (root == null || root.isMissingNode()) {
            return rejectedWhole(payload, given, previous, JsonRecordExtractor.NOT_JSON, "the payload is empty");
        }
        String control = controlValue(root);
        if (control != null) {
            return new Decoded(List.of(), given, control);
        }
        SourcePosition position = given != null ? given : positionIn(root);
        SourcePosition earlier = previous == null ? NONE : previous;
        SourcePosition last = position != null ? position : earlier;
        boolean single = payloadIsTheRecord && root.isObject();
        JsonNode body = single ? JsonNodeFactory.instance.arrayNode().add(root) : root;
        List<SourceRecord> items = extractor.extract(payload, body, index -> earlier).items();
        List<SourceRecord> placed = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            SourceRecord item = items.get(i);
            if (single && item.isRejected()) {
                // the element is the whole payload: dead-letter its own bytes, not a re-serialization
                item = SourceRecord.rejected(payload, earlier, item.rejection().reason(), item.rejection().detail());
            }
            placed.add(i == items.size() - 1 ? item.at(last) : item);
        }
        return new Decoded(placed, position, null);
    }

    private Decoded rejectedWhole(byte[] payload, SourcePosition given, SourcePosition previous, String reason,
                                  String detail) {
        SourcePosition at = given != null ? given : previous == null ? NONE : previous;
        return new Decoded(List.of(SourceRecord.rejected(payload, at, reason, detail)), given, null);
    }

    private String controlValue(JsonNode root) {
        if (controlPath == null) {
            return null;
        }
        JsonNode node = JsonRecordExtractor.at(root, controlPath);
        if (node == null || !node.isValueNode() || node.isNull()) {
            return null;
        }
        return controlValues.contains(node.asText()) ? node.asText() : null;
    }

    private SourcePosition positionIn(JsonNode root) {
        if (positionPath == null) {
            return null;
        }
        JsonNode node = JsonRecordExtractor.at(root, positionPath);
        if (node == null || !node.isValueNode() || node.isNull() || node.asText().isBlank()) {
            return null;
        }
        return SourcePosition.of(node.asText());
    }

    private static boolean isUtf8(byte[] payload) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
