package io.sluice.ingest;

import io.sluice.config.SluiceException;

/** Root of ingest failures; subtypes say what went wrong so callers decide by type, not by message. */
public class IngestException extends SluiceException {
    public IngestException(String message) {
        super(message);
    }

    public IngestException(String message, Throwable cause) {
        super(message, cause);
    }
}
