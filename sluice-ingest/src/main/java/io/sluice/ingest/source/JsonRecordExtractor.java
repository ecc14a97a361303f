package io.sluice.ingest.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Turns one API response body into records: finds the array at {@code source.records_path}, keys each element by
 * {@code record.key} and re-serializes it as compact JSON. What it cannot use becomes a rejected item
 * ({@link SourceRecord#rejected}) in feed order, with a reason code and a detail sentence naming positions and paths,
 * never record contents: nothing is dropped silently, and the pipeline sends rejected items to the dead-letter topic.
 */
public final class JsonRecordExtractor {
    /** Reason codes of rejected items, in the stream side's {@code stage:reason} style. */
    public static final String NOT_JSON = "ingest:not_json";
    public static final String NO_RECORDS = "ingest:no_records";
    public static final String NO_KEY = "ingest:no_key";
    public static final String INVALID_UTF8 = "ingest:invalid_utf8";

    // Trailing tokens fail: "200 OK" is a status line, not the number 200.
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final String recordsPath;
    private final String keyPath;

    public JsonRecordExtractor(String recordsPath, String keyPath) {
        this.recordsPath = recordsPath == null ? "" : recordsPath.trim();
        this.keyPath = keyPath;
    }

    /** Records and rejected items of one body, in the body's order. */
    public record Extraction(List<SourceRecord> items) {
        public Extraction {
            items = List.copyOf(items);
        }

        /** The records alone, without the rejected items. */
        public List<SourceRecord> records() {
            return items.stream().filter(item -> !item.isRejected()).toList();
        }

        /** The rejected items alone. */
        public List<SourceRecord> rejected() {
            return items.stream().filter(SourceRecord::isRejected).toList();
        }
    }

    public Extraction extract(byte[] body, IntFunction<SourcePosition> positionOfIndex) {
        JsonNode root;
        try {
            root = parse(body);
        } catch (IOException e) {
            return new Extraction(List.of(SourceRecord.rejected(body, positionOfIndex.apply(0), NOT_JSON,
                    "the body is not JSON (" + e.getClass().getSimpleName() + ")")));
        }
        return extract(body, root, positionOfIndex);
    }

    /** Parses a body; callers that need more than the records (a pagination cursor) parse once and extract from it. */
    public static JsonNode parse(byte[] body) throws IOException {
        return MAPPER.readTree(body);
    }

    /** As {@link #extract(byte[], IntFunction)}, from an already parsed body; a rejected body is re-serialized. */
    public Extraction extract(JsonNode root, IntFunction<SourcePosition> positionOfIndex) {
        return extract(compact(root), root, positionOfIndex);
    }

    /**
     * As {@link #extract(byte[], IntFunction)}, from a body parsed by the caller.
     *
     * @param original the body's own bytes: what a rejected body carries to the dead-letter topic
     */
    public Extraction extract(byte[] original, JsonNode root, IntFunction<SourcePosition> positionOfIndex) {
        JsonNode array = at(root, recordsPath);
        if (array == null || !array.isArray()) {
            String where = recordsPath.isEmpty() ? "the body" : "`source.records_path` " + recordsPath;
            return new Extraction(List.of(SourceRecord.rejected(original, positionOfIndex.apply(0), NO_RECORDS,
                    where + " is not a JSON array (found " + describe(array) + ")")));
        }
        List<SourceRecord> items = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            SourcePosition position = positionOfIndex.apply(i);
            if (!element.isObject()) {
                items.add(SourceRecord.rejected(compact(element), position, NO_RECORDS,
                        "element " + i + " is " + describe(element) + ", not a JSON object"));
                continue;
            }
            Optional<String> key = keyOf(element);
            if (key.isEmpty()) {
                items.add(SourceRecord.rejected(compact(element), position, NO_KEY, "element " + i
                        + " has no usable key at `record.key` " + keyPath + " (found " + describe(at(element, keyPath)) + ")"));
                continue;
            }
            items.add(new SourceRecord(key.get(), compact(element), position));
        }
        return new Extraction(items);
    }

    /** The natural key: a non-blank string, number or boolean at {@code record.key}; empty for anything else. */
    public Optional<String> keyOf(JsonNode record) {
        JsonNode node = at(record, keyPath);
        if (node == null || !node.isValueNode() || node.isNull()) {
            return Optional.empty();
        }
        String text = node.asText();
        return text.isBlank() ? Optional.empty() : Optional.of(text);
    }

    /** Follows a dot path such as {@code login.uuid}; an empty path is the node itself; null when absent. */
    public static JsonNode at(JsonNode node, String dotPath) {
        if (dotPath == null || dotPath.isEmpty()) {
            return node;
        }
        JsonNode current = node;
        for (String field : dotPath.split("\\.")) {
            if (current == null || !current.isObject()) {
                return null;
            }
            current = current.get(field);
        }
        return current;
    }

    static byte[] compact(JsonNode element) {
        try {
            return MAPPER.writeValueAsBytes(element);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree could not be written back", e);
        }
    }

    /** What a node is, in words, for detail sentences: never its contents. */
    public static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            case STRING -> node.asText().isBlank() ? "a blank string" : "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
