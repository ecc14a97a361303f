package io.sluice.ingest.source.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.ingest.source.SourcePosition;
import java.io.IOException;
import java.util.Optional;

/**
 * What a REST poller asks for next: a cursor (cursor pagination) or a full URL (next-link pagination), plus the
 * validators of the last answer to exactly that request, for a conditional request. Encoded as a small JSON object
 * inside a {@link SourcePosition}, so the generic position store can keep it.
 *
 * <p>Validators go only into a position whose page's records all come before it: resuming there, a 304 then rightly
 * means "nothing new". A record in the middle of a page resumes at the page without them, so the rest of that page is
 * fetched again rather than confirmed unchanged and skipped.
 *
 * @param cursor       the value of {@code source.pagination.cursor_param}; null for the first page
 * @param url          the next page's full URL; null means {@code source.url}
 * @param etag         the entity tag to send in {@code If-None-Match}; null when none is known
 * @param lastModified the {@code Last-Modified} value to send in {@code If-Modified-Since}; null when none is known
 */
record RestPosition(String cursor, String url, String etag, String lastModified) {
    static final RestPosition START = new RestPosition(null, null, null, null);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The same page, with what a conditional request for it should send. */
    RestPosition withValidators(KnownPages.Page page) {
        return new RestPosition(cursor, url, page.etag(), page.lastModified());
    }

    /** The same page, to be fetched in full. */
    RestPosition withoutValidators() {
        return new RestPosition(cursor, url, null, null);
    }

    KnownPages.Page validators() {
        return new KnownPages.Page(etag, lastModified, null);
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
        if (lastModified != null) {
            node.put("last_modified", lastModified);
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
            return Optional.of(new RestPosition(text(node, "cursor"), text(node, "url"), text(node, "etag"),
                    text(node, "last_modified")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }
}
