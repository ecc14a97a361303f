package io.sluice.cli.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.config.PipelineConfig;
import io.sluice.dashboard.DashboardOptions;
import io.sluice.dashboard.DashboardServer;
import io.sluice.dashboard.FlowSnapshot;
import io.sluice.ingest.IngestMetrics;
import io.sluice.ingest.IngestPipeline;
import io.sluice.stream.launch.StreamProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a running pipeline shows: one Prometheus registry with the meters of every stage, the dashboard and
 * {@code /metrics} on it, and a sampler thread that once a second reads the stream job's new progress lines and the
 * topic's end offsets, publishes a {@link FlowSnapshot} to the page (SSE) and writes it to
 * {@code <data dir>/live/<pipeline>.json} for {@code sluice status}.
 */
public final class LiveView implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveView.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineConfig config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final IngestPipeline ingest;
    private final StreamMeters stream;
    private final DataQualityMeters quality = new DataQualityMeters();
    private final WriterMeters writer;
    private final KafkaLagMeters kafka;
    private final StreamProgressFeed feed;
    private final Function<String, Map<Integer, Long>> endOffsets;
    private final boolean hasStream;
    private final FlowSampler sampler;
    private final DashboardServer dashboard;
    private final Path statusFile;
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sluice-live-sampler");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param ingest     the ingest half, or null for {@code --only stream}
     * @param progress   the stream job's progress lines, or null for {@code --only ingest}
     * @param endOffsets the topic's end offsets by partition (TopicOffsets)
     */
    public LiveView(PipelineConfig config, IngestPipeline ingest, Supplier<List<StreamProgress>> progress,
                    Function<String, Map<Integer, Long>> endOffsets, DashboardOptions options, Path dataDir) {
        this.config = config;
        this.ingest = ingest;
        this.hasStream = progress != null;
        this.stream = new StreamMeters(config.streamMaxOffsetsPerTrigger(), config.streamTriggerInterval());
        this.writer = new WriterMeters(config.sinkMaxRowsPerSecond());
        this.kafka = new KafkaLagMeters(config.kafkaTopic());
        this.feed = new StreamProgressFeed(progress != null ? progress : List::of, List.of(stream, quality, writer));
        this.endOffsets = endOffsets;
        this.sampler = new FlowSampler(config.name());
        if (ingest != null) {
            ingest.bindTo(registry);
        }
        stream.bindTo(registry);
        quality.bindTo(registry);
        writer.bindTo(registry);
        kafka.bindTo(registry);
        this.dashboard = new DashboardServer(options, registry::scrape);
        this.statusFile = dataDir.resolve("live").resolve(config.name() + ".json");
    }

    /** Starts the dashboard and the sampler; returns the page's address. */
    public String start() {
        dashboard.start();
        ticks.scheduleWithFixedDelay(this::tick, 0, 1, TimeUnit.SECONDS);
        return dashboard.url();
    }

    public String url() {
        return dashboard.url();
    }

    /** The scrape endpoint's address, without the token. */
    public String metricsUrl() {
        return dashboard.urlWithoutToken() + "metrics";
    }

    /** The Prometheus text of every meter, as {@code /metrics} serves it. */
    public String scrape() {
        return registry.scrape();
    }

    void tick() {
        try {
            feed.poll();
            if (ingest != null) {
                ingest.refreshMeters();
            }
            quality.refresh();
            try {
                kafka.update(endOffsets.apply(config.kafkaTopic()), feed.consumed(config.kafkaTopic()));
            } catch (RuntimeException e) {
                LOG.debug("cannot read end offsets for the dashboard: {}", e.getMessage());
            }
            FlowSnapshot snapshot = sampler.sample(totals(System.nanoTime()), System.currentTimeMillis());
            dashboard.publish(snapshot);
            writeStatus(snapshot);
        } catch (RuntimeException e) {
            LOG.warn("dashboard sample failed: {}", e.toString()); // never stops the pipeline, next tick tries again
        }
    }

    private FlowSampler.Totals totals(long nanos) {
        IngestMetrics.Snapshot in = ingest == null ? null : ingest.metrics();
        double limit = ingest == null ? 0 : ingest.recordsPerSecondLimit();
        long sent = ingest == null ? 0 : (long) registry.get("sluice.producer.sent").functionCounter().count();
        StreamProgress.WriteFigures w = writer.lastFigures();
        return new FlowSampler.Totals(nanos, in, sent, limit, config.producerQueueCapacity(), kafka.totalEnd(),
                kafka.totalLag(), hasStream, (long) registry.get("sluice.stream.records").functionCounter().count(),
                stream.limitPerSecond(), registry.get("sluice.stream.batch.fill").gauge().value(), lastTriggerDelayMs(),
                (long) registry.get("sluice.dq.passed").functionCounter().count(),
                (long) registry.get("sluice.dq.quarantined.total").functionCounter().count(),
                quality.quarantinedByReason(), writer.rowsWritten(), writer.limit(), w.p50Micros() / 1000.0,
                w.p99Micros() / 1000.0, new FlowSnapshot.WriteControl(w.control().limit(), w.control().rowsPerSecond(),
                        w.control().latencyMicros() / 1000.0, w.control().targetMicros() / 1000.0, w.control().reason()));
    }

    private long lastTriggerDelayMs() {
        var timer = registry.get("sluice.stream.trigger.delay").timer();
        return timer.count() == 0 ? -1 : (long) timer.max(TimeUnit.MILLISECONDS);
    }

    private void writeStatus(FlowSnapshot snapshot) {
        try {
            Files.createDirectories(statusFile.getParent());
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("pid", ProcessHandle.current().pid());
            status.put("dashboard", dashboard.urlWithoutToken());
            status.put("flow", snapshot);
            Path tmp = statusFile.resolveSibling(statusFile.getFileName() + ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), status);
            Files.move(tmp, statusFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.debug("cannot write {}: {}", statusFile, e.getMessage());
        }
    }

    /** One last sample (so the final figures are on the page and in the status file), then stops serving. */
    @Override
    public void close() {
        ticks.shutdownNow();
        try {
            ticks.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dashboard.close();
        try {
            Files.deleteIfExists(statusFile);
        } catch (IOException e) {
            LOG.debug("cannot remove {}: {}", statusFile, e.getMessage());
        }
    }

    /** Every meter name registered now, for docs and tests. */
    public List<String> meterNames() {
        List<String> names = new ArrayList<>();
        registry.getMeters().forEach(m -> names.add(m.getId().getName()));
        return names;
    }
}
