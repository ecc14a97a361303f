package io.sluice.ingest.source.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.ingest.source.SourcePosition;
import java.io.IOException;
import java.util.Optional;

/**
 * What a REST poller asks for next: a cursor (cursor pagination) or a full URL (next-link pagination), plus the ETag
 * of the last answer to exactly that request, for {@code If-None-Match}. Encoded as a small JSON object inside a
 * {@link SourcePosition}, so the generic position store can keep it.
 *
 * @param cursor the value of {@code source.pagination.cursor_param}; null for the first page
 * @param url    the next page's full URL; null means {@code source.url}
 * @param etag   the entity tag to send in {@code If-None-Match}; null when none is known
 */
record RestPosition(String cursor, String url, String etag) {
    static final RestPosition START = new RestPosition(null, null, null);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    RestPosition withEtag(String newEtag) {
        return new RestPosition(cursor, url, newEtag);
    }

    SourcePosition toSourcePosition() {
        ObjectNode node = MAPPER.createObjectNode();
        if (cursor != null) {
            node.put("cursor", cursor);
        }
        if (url != null) {
            node.put("url", url);
        }
        if (etag != null) {
            node.put("etag", etag);
        }
        return SourcePosition.of(node.toString());
    }

    /** Empty when the position was not written by this source (an older format, a hand-edited file). */
    static Optional<RestPosition> from(SourcePosition position) {
        try {
            JsonNode node = MAPPER.readTree(position.value());
            if (node == null || !node.isObject()) {
                return Optional.empty();
            }
            return Optional.of(new RestPosition(text(node, "cursor"), text(node, "url"), text(node, "etag")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }
}
