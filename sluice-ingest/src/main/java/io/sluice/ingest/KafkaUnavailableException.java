package io.sluice.ingest;

/** Kafka could not be reached, or refused an admin request, while preparing the pipeline. */
public class KafkaUnavailableException extends IngestException {
    public KafkaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
