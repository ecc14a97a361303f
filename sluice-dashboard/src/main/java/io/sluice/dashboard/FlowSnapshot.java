package io.sluice.dashboard;

import java.util.List;
import java.util.Map;

/**
 * What the page shows at one moment, pushed to the browser as JSON over SSE and written to the status file that
 * {@code sluice status} reads. Rates are per second over the last few seconds; a limit of 0 means "none".
 *
 * @param epochMillis   when the figures were taken
 * @param pipeline      the pipeline's name
 * @param stages        source, queue, kafka, spark, dq, cassandra, left to right
 * @param lag           records in Kafka the stream job has not read yet, all partitions
 * @param queueDepth    records between the source and the producer
 * @param queueCapacity {@code producer.queue_capacity}
 * @param quarantine    records the data-quality stage quarantined so far, by reason; plus payloads the source
 *                      dead-lettered, as {@code source:<reason>}
 * @param rowsWritten   rows the stream job wrote to Cassandra so far
 * @param writeP50Ms    median Cassandra request latency of the last micro-batch
 * @param writeP99Ms    99th percentile, likewise
 * @param bottleneck    the stage holding the flow back now, by its id
 * @param why           one sentence: why that stage
 * @param control       the adaptive write controller ({@code sink.adaptive}); {@link WriteControl#NONE} without one
 */
public record FlowSnapshot(long epochMillis, String pipeline, List<Stage> stages, long lag, long queueDepth,
                           long queueCapacity, Map<String, Long> quarantine, long rowsWritten, double writeP50Ms,
                           double writeP99Ms, String bottleneck, String why, WriteControl control) {

    public FlowSnapshot {
        control = control == null ? WriteControl.NONE : control;
    }

    /** A snapshot without an adaptive controller. */
    public FlowSnapshot(long epochMillis, String pipeline, List<Stage> stages, long lag, long queueDepth,
                        long queueCapacity, Map<String, Long> quarantine, long rowsWritten, double writeP50Ms,
                        double writeP99Ms, String bottleneck, String why) {
        this(epochMillis, pipeline, stages, lag, queueDepth, queueCapacity, quarantine, rowsWritten, writeP50Ms,
                writeP99Ms, bottleneck, why, WriteControl.NONE);
    }

    /**
     * The adaptive write controller: how many requests it allows in flight, the pace it sends rows at, its window's
     * median latency against its target, and why it last changed ({@code growing}, {@code slow}, {@code overloaded}...;
     * empty without a controller).
     */
    public record WriteControl(double limit, double rowsPerSecond, double latencyMs, double targetMs, String reason) {
        public static final WriteControl NONE = new WriteControl(0, 0, 0, 0, "");
    }

    /**
     * @param id    {@code source}, {@code queue}, {@code kafka}, {@code spark}, {@code dq} or {@code cassandra}
     * @param rate  records (rows) per second now
     * @param limit the configured limit in the same unit, 0 for none
     * @param total records through this stage so far
     * @param note  a short figure to show under the rate (cap, fill, quarantine)
     */
    public record Stage(String id, String label, double rate, double limit, long total, String note) {
    }
}
