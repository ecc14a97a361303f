package io.sluice.ingest.source;

import java.util.Objects;

/**
 * Where a record came from in its source, in the source's own terms: an SSE {@code Last-Event-ID}, a poll cursor,
 * an MQTT packet id. Opaque to the framework, which only hands it back through {@link SourceTask#commit}.
 */
public record SourcePosition(String value) {
    public SourcePosition {
        Objects.requireNonNull(value, "value");
    }

    public static SourcePosition of(String value) {
        return new SourcePosition(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
