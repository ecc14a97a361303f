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
 * {@code record.key} and re-serializes it as compact JSON. Elements it cannot use are returned as reasons, never
 * dropped silently; the reasons name positions and paths, never record contents.
 */
public final class JsonRecordExtractor {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String recordsPath;
    private final String keyPath;

    public JsonRecordExtractor(String recordsPath, String keyPath) {
        this.recordsPath = recordsPath == null ? "" : recordsPath.trim();
        this.keyPath = keyPath;
    }

    /** Records and rejected elements of one body. A body without a usable array yields no records and one reason. */
    public record Extraction(List<SourceRecord> records, List<String> malformed) {
    }

    public Extraction extract(byte[] body, IntFunction<SourcePosition> positionOfIndex) {
        JsonNode root;
        try {
            root = parse(body);
        } catch (IOException e) {
            return new Extraction(List.of(), List.of("response body is not JSON (" + e.getClass().getSimpleName() + ")"));
        }
        return extract(root, positionOfIndex);
    }

    /** Parses a body; callers that need more than the records (a pagination cursor) parse once and extract from it. */
    public static JsonNode parse(byte[] body) throws IOException {
        return MAPPER.readTree(body);
    }

    /** As {@link #extract(byte[], IntFunction)}, from an already parsed body. */
    public Extraction extract(JsonNode root, IntFunction<SourcePosition> positionOfIndex) {
        JsonNode array = at(root, recordsPath);
        if (array == null || !array.isArray()) {
            String where = recordsPath.isEmpty() ? "the response body" : "`source.records_path` " + recordsPath;
            return new Extraction(List.of(), List.of(where + " is not a JSON array (found " + describe(array) + ")"));
        }
        List<SourceRecord> records = new ArrayList<>(array.size());
        List<String> malformed = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            if (!element.isObject()) {
                malformed.add("element " + i + " is " + describe(element) + ", not a JSON object");
                continue;
            }
            Optional<String> key = keyOf(element);
            if (key.isEmpty()) {
                malformed.add("element " + i + " has no usable key at `record.key` " + keyPath + " (found "
                        + describe(at(element, keyPath)) + ")");
                continue;
            }
            records.add(new SourceRecord(key.get(), compact(element), positionOfIndex.apply(i)));
        }
        return new Extraction(records, malformed);
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

    private static byte[] compact(JsonNode element) {
        try {
            return MAPPER.writeValueAsBytes(element);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree could not be written back", e);
        }
    }

    private static String describe(JsonNode node) {
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
