package io.sluice.cli.live;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sluice.stream.adaptive.ControlReason;
import io.sluice.stream.launch.StreamProgress;
import io.sluice.stream.launch.StreamProgress.ControlFigures;
import io.sluice.stream.launch.StreamProgress.WriteFigures;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Cassandra writer, from the stream job's progress lines: rows written and their rate, requests in flight,
 * write latency p50/p99 (of the last micro-batch), timeouts and retries, and the rate limit
 * ({@code sink.max_rows_per_second}). Latency, in-flight and retries come from the driver writer only. With
 * {@code sink.adaptive} the controller's state at the end of the last batch: its limit, its pace, its window latency
 * against its target, and why it last changed (one gauge per reason, 1 for the current one).
 */
public final class WriterMeters implements MeterBinder, StreamProgressFeed.Listener {
    private final double maxRowsPerSecond;
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicReference<StreamProgress> last = new AtomicReference<>();

    public WriterMeters(double maxRowsPerSecond) {
        this.maxRowsPerSecond = maxRowsPerSecond;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("sluice.writer.rows", rows, AtomicLong::get).baseUnit("rows")
                .description("Rows written to Cassandra").register(registry);
        FunctionCounter.builder("sluice.writer.requests", requests, AtomicLong::get).baseUnit("requests")
                .description("Cassandra requests answered (an INSERT, or an UNLOGGED batch of sink.batch_size_rows)")
                .register(registry);
        FunctionCounter.builder("sluice.writer.timeouts", timeouts, AtomicLong::get).baseUnit("requests")
                .description("Write attempts that timed out and were retried").register(registry);
        FunctionCounter.builder("sluice.writer.retries", retries, AtomicLong::get).baseUnit("requests")
                .description("Write attempts retried for any reason").register(registry);
        Gauge.builder("sluice.writer.rate", this, WriterMeters::lastRate).baseUnit("rows.per.second")
                .description("Rows per second while the last micro-batch was written").register(registry);
        Gauge.builder("sluice.writer.limit", this, m -> m.maxRowsPerSecond).baseUnit("rows.per.second")
                .description("The writer's rate limit: sink.max_rows_per_second").register(registry);
        Gauge.builder("sluice.writer.inflight", this, m -> figures(m).inFlightPeak()).baseUnit("requests")
                .description("Most requests in flight at once during the last micro-batch").register(registry);
        Gauge.builder("sluice.writer.latency", this, m -> figures(m).p50Micros() / 1e6).tag("quantile", "0.5")
                .baseUnit("seconds").description("Cassandra request latency of the last micro-batch").register(registry);
        Gauge.builder("sluice.writer.latency", this, m -> figures(m).p99Micros() / 1e6).tag("quantile", "0.99")
                .baseUnit("seconds").description("Cassandra request latency of the last micro-batch").register(registry);
        Gauge.builder("sluice.writer.adaptive.limit", this, m -> figures(m).control().limit()).baseUnit("requests")
                .description("Requests the adaptive controller allows in flight (sink.adaptive)").register(registry);
        Gauge.builder("sluice.writer.adaptive.rate", this, m -> figures(m).control().rowsPerSecond())
                .baseUnit("rows.per.second").description("The pace the adaptive controller sends rows at").register(registry);
        Gauge.builder("sluice.writer.adaptive.latency", this, m -> figures(m).control().latencyMicros() / 1e6)
                .baseUnit("seconds").description("Median request latency of the controller's last window").register(registry);
        Gauge.builder("sluice.writer.adaptive.target", this, m -> figures(m).control().targetMicros() / 1e6)
                .baseUnit("seconds").description("The latency above which the controller backs off").register(registry);
        for (ControlReason reason : ControlReason.values()) {
            String tag = reason.name().toLowerCase(Locale.ROOT);
            Gauge.builder("sluice.writer.adaptive.reason", this, m -> tag.equals(figures(m).control().reason()) ? 1 : 0)
                    .tag("reason", tag).description("1 for why the controller last changed: " + reason.description())
                    .register(registry);
        }
    }

    @Override
    public void onBatch(StreamProgress batch) {
        rows.addAndGet(batch.rowsWritten());
        requests.addAndGet(batch.write().requests());
        timeouts.addAndGet(batch.write().timeouts());
        retries.addAndGet(batch.write().retries());
        last.set(batch);
    }

    public long rowsWritten() {
        return rows.get();
    }

    public double limit() {
        return maxRowsPerSecond;
    }

    /** The adaptive controller after the last batch; {@link ControlFigures#NONE} with static limits. */
    public ControlFigures control() {
        return figures(this).control();
    }

    public WriteFigures lastFigures() {
        return figures(this);
    }

    private static WriteFigures figures(WriterMeters m) {
        StreamProgress batch = m.last.get();
        return batch == null ? WriteFigures.NONE : batch.write();
    }

    private static double lastRate(WriterMeters m) {
        StreamProgress batch = m.last.get();
        return batch == null || batch.durationMs() == 0 ? 0 : batch.rowsWritten() * 1000.0 / batch.durationMs();
    }
}
