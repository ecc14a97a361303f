package io.sluice.ingest;

/** A source plug-in threw from {@code start} or {@code poll}: a bug or an unrecoverable source problem. */
public class SourceFailedException extends IngestException {
    public SourceFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
