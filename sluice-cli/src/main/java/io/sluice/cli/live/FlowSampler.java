package io.sluice.cli.live;

import io.sluice.dashboard.FlowSnapshot;
import io.sluice.dashboard.FlowSnapshot.Stage;
import io.sluice.ingest.IngestMetrics;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Turns the running totals of every stage into a {@link FlowSnapshot}: rates over the last {@link #WINDOW_NANOS}
 * (micro-batches arrive every trigger, so a one-second rate would jump between zero and a spike), and which stage
 * holds the flow back now. Time comes from an injected nano clock.
 */
final class FlowSampler {
    static final long WINDOW_NANOS = 10_000_000_000L;
    private static final String[] IDS = {"source", "queue", "kafka", "spark", "dq", "cassandra"};

    /** Everything the sampler reads at one moment; null parts are halves this run does not have. */
    record Totals(long nanos, IngestMetrics.Snapshot ingest, long producerSent, double throttleLimit, int queueCapacity,
                  long kafkaRecords, long lag, boolean hasStream, long streamRecords, double streamLimit,
                  double lastBatchFill, long lastTriggerDelayMs, long dqPassed, long dqQuarantined,
                  Map<String, Long> quarantine, long rowsWritten, double writerLimit, double writeP50Ms,
                  double writeP99Ms, FlowSnapshot.WriteControl control) {
        /** Totals without an adaptive write controller. */
        Totals(long nanos, IngestMetrics.Snapshot ingest, long producerSent, double throttleLimit, int queueCapacity,
               long kafkaRecords, long lag, boolean hasStream, long streamRecords, double streamLimit,
               double lastBatchFill, long lastTriggerDelayMs, long dqPassed, long dqQuarantined,
               Map<String, Long> quarantine, long rowsWritten, double writerLimit, double writeP50Ms, double writeP99Ms) {
            this(nanos, ingest, producerSent, throttleLimit, queueCapacity, kafkaRecords, lag, hasStream, streamRecords,
                    streamLimit, lastBatchFill, lastTriggerDelayMs, dqPassed, dqQuarantined, quarantine, rowsWritten,
                    writerLimit, writeP50Ms, writeP99Ms, FlowSnapshot.WriteControl.NONE);
        }

        long[] counts() {
            return new long[] {ingest == null ? 0 : ingest.recordsPolled(), producerSent, kafkaRecords, streamRecords,
                    dqPassed + dqQuarantined, rowsWritten};
        }
    }

    private final String pipeline;
    private final ArrayDeque<Totals> window = new ArrayDeque<>();

    FlowSampler(String pipeline) {
        this.pipeline = pipeline;
    }

    synchronized FlowSnapshot sample(Totals now, long epochMillis) {
        window.addLast(now);
        while (window.size() > 2 && now.nanos() - window.peekFirst().nanos() > WINDOW_NANOS) {
            window.removeFirst();
        }
        Totals then = window.peekFirst();
        double seconds = (now.nanos() - then.nanos()) / 1e9;
        long[] a = then.counts();
        long[] b = now.counts();
        double[] rates = new double[IDS.length];
        for (int i = 0; i < IDS.length; i++) {
            rates[i] = seconds <= 0 ? 0 : Math.max(0, b[i] - a[i]) / seconds;
        }
        IngestMetrics.Snapshot in = now.ingest();
        long depth = in == null ? 0 : Math.max(0, in.queueDepth());
        Map<String, Long> quarantine = new TreeMap<>(now.quarantine());
        if (in != null) {
            in.deadLettered().forEach((reason, n) -> quarantine.put("source:" + reason, n));
        }
        List<Stage> stages = List.of(
                new Stage("source", "Source", rates[0], 0, b[0],
                        in == null ? "not in this run" : String.format("%,d polled", b[0])),
                new Stage("queue", "Queue + throttle", rates[1], now.throttleLimit(), b[1],
                        String.format("%,d / %,d queued", depth, now.queueCapacity())),
                new Stage("kafka", "Kafka", rates[2], 0, b[2], String.format("lag %,d", now.lag())),
                new Stage("spark", "Spark", rates[3], now.streamLimit(), b[3],
                        now.hasStream() ? String.format("last batch %.0f%% of cap", 100 * now.lastBatchFill()) : "not in this run"),
                new Stage("dq", "Data quality", rates[4], 0, b[4], String.format("%,d quarantined", now.dqQuarantined())),
                new Stage("cassandra", "Cassandra", rates[5], now.writerLimit(), b[5],
                        String.format("p99 %.1f ms", now.writeP99Ms())));
        String[] verdict = bottleneck(now, then, rates, depth);
        return new FlowSnapshot(epochMillis, pipeline, stages, now.lag(), depth, now.queueCapacity(), quarantine,
                now.rowsWritten(), now.writeP50Ms(), now.writeP99Ms(), verdict[0], verdict[1], now.control());
    }

    /** The stage holding the flow back, and why, looking from the database back to the source. */
    static String[] bottleneck(Totals now, Totals then, double[] rates, long queueDepth) {
        boolean backlog = now.hasStream() && now.lag() > 0 && now.lag() >= then.lag();
        if (backlog && now.writerLimit() > 0 && rates[5] >= 0.9 * now.writerLimit()) {
            return new String[] {"cassandra", String.format("the writer runs at sink.max_rows_per_second (%.0f/s) while Kafka"
                    + " holds %,d records", now.writerLimit(), now.lag())};
        }
        if (backlog && now.lastBatchFill() >= 0.99) {
            return new String[] {"spark", String.format("every micro-batch takes the cap, stream.max_offsets_per_trigger,"
                    + " while %,d records wait in Kafka", now.lag())};
        }
        if (backlog && now.lastTriggerDelayMs() == 0 && now.streamRecords() > then.streamRecords()) {
            return new String[] {"spark", String.format("micro-batches take longer than the trigger; %,d records wait in"
                    + " Kafka", now.lag())};
        }
        if (now.ingest() != null) {
            boolean queueFilling = now.queueCapacity() > 0 && queueDepth >= now.queueCapacity() / 2;
            if (queueFilling || (now.throttleLimit() > 0 && rates[1] >= 0.9 * now.throttleLimit())) {
                return new String[] {"queue", String.format("the throttle lets producer.records_per_second (%.0f/s) through;"
                        + " the source offers more (%,d queued)", now.throttleLimit(), queueDepth)};
            }
            return new String[] {"source", String.format("the API delivers %.0f records/s, below every limit", rates[0])};
        }
        return new String[] {"kafka", "the stream job keeps up with what Kafka receives"};
    }
}
