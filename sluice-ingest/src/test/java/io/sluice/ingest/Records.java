package io.sluice.ingest;

import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.SourceRecord;
import java.nio.charset.StandardCharsets;

/** Test records whose key, value and position all derive from one number. */
public final class Records {
    private Records() {
    }

    public static SourceRecord record(int n) {
        return new SourceRecord("key-" + n, ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8), SourcePosition.of("pos-" + n));
    }
}
