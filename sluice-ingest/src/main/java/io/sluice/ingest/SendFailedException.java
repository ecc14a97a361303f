package io.sluice.ingest;

/** Kafka did not acknowledge a record even after the producer's bounded retries; the pipeline stops. */
public class SendFailedException extends IngestException {
    public SendFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
