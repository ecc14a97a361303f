package io.sluice.ingest;

/** Why a well-formed record never reached Kafka. Every drop is counted under one of these. */
public enum DropReason {
    /** {@code producer.overflow=drop_oldest} pushed it out of a full queue. */
    QUEUE_FULL("queue_full"),
    /** Still queued when the pipeline's drain deadline on stop ran out. */
    SHUTDOWN_DEADLINE("shutdown_deadline"),
    /** Still queued (or not yet queued) when the pipeline stopped because of a failure. */
    PIPELINE_FAILED("pipeline_failed");

    private final String label;

    DropReason(String label) {
        this.label = label;
    }

    /** Lower-case name for logs and metric tags. */
    public String label() {
        return label;
    }
}
