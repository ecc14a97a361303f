package io.sluice.ingest;

/** The producer queue was full and {@code producer.overflow} is {@code fail}. */
public class QueueOverflowException extends IngestException {
    public QueueOverflowException(int capacity) {
        super("the producer queue is full (" + capacity + " records) and `producer.overflow` is `fail`: Kafka cannot keep up "
                + "with the source. Raise `producer.records_per_second` or `producer.queue_capacity`, or set "
                + "`producer.overflow` to `block` (push back on the source) or `drop_oldest`");
    }
}
