package io.sluice.bench;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.sluice.bench.BenchResults.Flood;
import io.sluice.bench.BenchResults.FloodSample;
import io.sluice.config.PipelineConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Stage 6, the flood: Sluice's stream job with the pipeline's own flow limits, hit by a burst at 10 times its write
 * cap. Every second we sample what was produced, what the job has written (its progress offsets), Kafka lag, the
 * writes Cassandra itself applied to the table, and the p99 of a single-row probe query; then we report the time to
 * drain the backlog and the rows lost (records Kafka acknowledged that are not in the table).
 */
final class FloodStage {
    static final String TOPIC = "bench_flood";
    static final String TABLE = "flood";
    static final UUID PROBE_ID = UUID.nameUUIDFromBytes("sluice-bench-probe".getBytes(StandardCharsets.UTF_8));
    static final Duration PROBE_INTERVAL = Duration.ofMillis(50);
    static final double BURST_FACTOR = 10.0;

    /** The write cap a pipeline promises, and where it comes from. */
    record WriteCap(double rowsPerSecond, String definition) {
        static WriteCap of(PipelineConfig pipeline, double averageRowBytes) {
            double triggerSeconds = pipeline.streamTriggerInterval().toMillis() / 1000.0;
            double byOffsets = pipeline.streamMaxOffsetsPerTrigger() / triggerSeconds;
            double bytesPerSecond = pipeline.sinkThroughputMbPerSec() * 1024 * 1024 * pipeline.streamPartitions();
            double byThroughput = bytesPerSecond / averageRowBytes;
            // The job paces its own writes to sink.max_rows_per_second (a token bucket per task), so that key is part
            // of the promise too; the smallest of the three is the rate Cassandra should ever see.
            double byRowRate = pipeline.sinkMaxRowsPerSecond();
            String definition = String.format(Locale.ROOT, "min(sink.max_rows_per_second = %.0f rows/s, "
                            + "stream.max_offsets_per_trigger / stream.trigger_interval"
                            + " = %d / %.1f s = %.0f rows/s, sink.throughput_mb_per_sec x stream.partitions / row size"
                            + " = %.2f MB/s x %d / %.0f B = %.0f rows/s)", byRowRate, pipeline.streamMaxOffsetsPerTrigger(),
                    triggerSeconds, byOffsets, pipeline.sinkThroughputMbPerSec(), pipeline.streamPartitions(),
                    averageRowBytes, byThroughput);
            return new WriteCap(Math.min(byRowRate, Math.min(byOffsets, byThroughput)), definition);
        }
    }

    private final BenchStack stack;
    private final DemoRecords records;
    private final RssMonitor rss;
    private final Console console;

    FloodStage(BenchStack stack, DemoRecords records, RssMonitor rss, Console console) {
        this.stack = stack;
        this.records = records;
        this.rss = rss;
        this.console = console;
    }

    Flood run(SluiceJobFactory jobs, PipelineConfig pipeline, Map<String, String> floodSettings, Duration burst,
              Duration idle, Map<String, String> producerSettings, Duration timeout) {
        WriteCap cap = WriteCap.of(pipeline, records.averageRowBytes());
        double burstRate = cap.rowsPerSecond() * BURST_FACTOR;
        double triggerSeconds = pipeline.streamTriggerInterval().toMillis() / 1000.0;
        int partitions = pipeline.kafkaPartitions();
        stack.createTopic(TOPIC, partitions);
        stack.createTable(TABLE, DemoRecords.COLUMNS);
        stack.session().execute("INSERT INTO " + BenchStack.KEYSPACE + "." + TABLE + " (id, first_name) VALUES ("
                + PROBE_ID + ", 'probe')");
        KafkaLag kafka = new KafkaLag(stack.admin(), TOPIC, partitions);
        WriteCounter writes = new WriteCounter(stack.session(), TABLE);
        try (SparkJob job = jobs.start("bench_flood", TOPIC, TABLE, floodSettings);
             PacedProducer producer = new PacedProducer(stack, records, TOPIC, producerSettings, 0);
             LatencyLoop probe = startProbe()) {
            rss.track("Spark JVM: flood run", job.pid());
            job.awaitStarted(timeout);
            long warmUp = producer.produce(cap.rowsPerSecond(), Duration.ofSeconds(2));
            job.awaitConsumed(TOPIC, warmUp, timeout);
            long idleFrom = System.nanoTime();
            Sleep.millis(idle.toMillis());
            double idleP99 = probe.p99Ms(idleFrom, System.nanoTime());
            console.step("flood: idle probe p99 %.1f ms; bursting %.0f records/s (10 x cap %.0f rows/s) for %d s",
                    idleP99, burstRate, cap.rowsPerSecond(), burst.toSeconds());

            long burstStart = System.nanoTime();
            OptionalLong writesAtStart = writes.count();
            Sampler sampler = new Sampler(burstStart, producer, job, kafka, writes, probe);
            long burstCount = producer.produce(burstRate, burst);
            long burstEnd = System.nanoTime();
            long produced = warmUp + burstCount;
            job.awaitConsumed(TOPIC, produced, timeout);
            long drainEnd = System.nanoTime();
            OptionalLong writesAtEnd = writes.count();
            Sleep.millis(2000); // a calm tail on the chart
            List<FloodSample> samples = sampler.stop();
            rss.sampleNow();
            job.stop(Duration.ofSeconds(60));

            double drainSeconds = (drainEnd - burstStart) / 1e9;
            long inTable = RowCounter.count(stack.session(), TABLE) - 1; // minus the probe row
            double meanWrite = writesAtStart.isPresent() && writesAtEnd.isPresent()
                    ? (writesAtEnd.getAsLong() - writesAtStart.getAsLong()) / drainSeconds
                    : burstCount / drainSeconds;
            return new Flood(cap.rowsPerSecond(), cap.definition(), burstRate, (burstEnd - burstStart) / 1e9,
                    producer.acked(), inTable, Math.max(0, producer.acked() - inTable), drainSeconds,
                    (drainEnd - burstEnd) / 1e9, meanWrite, peak(samples, 1), peak(samples, (int) Math.ceil(triggerSeconds)),
                    idleP99, probe.p99Ms(burstStart, drainEnd),
                    samples.stream().mapToLong(FloodSample::kafkaLag).max().orElse(0),
                    writesAtStart.isPresent() ? "Cassandra's system_views.local_write_latency count, per second"
                            : "rows the stream job reported written, per second",
                    effectiveLimits(pipeline), samples);
        }
    }

    /**
     * What a user of the database feels while Sluice writes: a single-row SELECT of the probe row every
     * {@link #PROBE_INTERVAL}, one at a time, timed on the client.
     */
    private LatencyLoop startProbe() {
        PreparedStatement select = stack.session().prepare("SELECT id, first_name FROM " + BenchStack.KEYSPACE + "." + TABLE
                + " WHERE id = ?");
        return new LatencyLoop("bench-probe", PROBE_INTERVAL, LatencyLoop.Pacing.CLOSED,
                n -> stack.session().executeAsync(select.bind(PROBE_ID)));
    }

    /** The flow limits the flood ran with, whether from the pipeline file or an override. */
    private static Map<String, String> effectiveLimits(PipelineConfig pipeline) {
        Map<String, String> limits = new java.util.LinkedHashMap<>();
        limits.put("stream.trigger_interval", pipeline.streamTriggerInterval().toMillis() + "ms");
        limits.put("stream.max_offsets_per_trigger", Long.toString(pipeline.streamMaxOffsetsPerTrigger()));
        limits.put("stream.partitions", Integer.toString(pipeline.streamPartitions()));
        limits.put("sink.concurrent_writes", Integer.toString(pipeline.sinkConcurrentWrites()));
        limits.put("sink.throughput_mb_per_sec", Double.toString(pipeline.sinkThroughputMbPerSec()));
        limits.put("sink.max_rows_per_second", Double.toString(pipeline.sinkMaxRowsPerSecond()));
        limits.put("sink.writer", pipeline.sinkWriter());
        return limits;
    }

    /** Highest mean Cassandra write rate over any {@code window} consecutive one-second samples. */
    static double peak(List<FloodSample> samples, int window) {
        double best = 0;
        for (int i = 0; i + window <= samples.size(); i++) {
            double sum = 0;
            for (int j = i; j < i + window; j++) {
                sum += samples.get(j).cassandraWritesPerSecond();
            }
            best = Math.max(best, sum / window);
        }
        return best;
    }

    /**
     * One {@link FloodSample} a second while the main thread produces; the first is the calm state just before the
     * burst. Cassandra's write rate comes from its own count, or from the job's progress where it has none.
     */
    private static final class Sampler {
        private final long origin;
        private final PacedProducer producer;
        private final SparkJob job;
        private final KafkaLag kafka;
        private final WriteCounter writes;
        private final LatencyLoop probe;
        private final long writesOrigin;
        private final WriteRate writeRate;
        private final PerSecondSampler<FloodSample> seconds;
        private long lastNanos;
        private long lastProduced;
        private long lastConsumed;

        Sampler(long origin, PacedProducer producer, SparkJob job, KafkaLag kafka, WriteCounter writes, LatencyLoop probe) {
            this.origin = origin;
            this.producer = producer;
            this.job = job;
            this.kafka = kafka;
            this.writes = writes;
            this.probe = probe;
            this.lastNanos = origin;
            this.lastProduced = producer.sent();
            this.lastConsumed = job.consumed(TOPIC);
            OptionalLong writesAtOrigin = writes.count();
            this.writesOrigin = writesAtOrigin.orElse(-1);
            this.writeRate = new WriteRate(writesAtOrigin, origin);
            FloodSample calm = new FloodSample(0, lastProduced, lastConsumed,
                    Math.max(0, kafka.endOffsets() - lastConsumed), 0, 0, 0, 0, 0);
            this.seconds = new PerSecondSampler<>("bench-flood-sampler", List.of(calm), 1, this::sample);
        }

        private FloodSample sample() {
            long now = System.nanoTime();
            double dt = (now - lastNanos) / 1e9;
            long produced = producer.sent();
            long consumed = job.consumed(TOPIC);
            long lag = Math.max(0, kafka.endOffsets() - consumed);
            OptionalLong count = writes.count();
            long written = count.isPresent() && writesOrigin >= 0 ? count.getAsLong() - writesOrigin : -1;
            double probeP99 = probe.p99Ms(lastNanos, now);
            // Last, since it moves its own "last count": nothing after it may fail and skip this second.
            OptionalDouble cassandraRate = writeRate.next(now, count);
            double rate = written >= 0 ? cassandraRate.getAsDouble() : (consumed - lastConsumed) / dt;
            FloodSample sample = new FloodSample(round((now - origin) / 1e9), produced, consumed, lag,
                    written >= 0 ? written : consumed, round((produced - lastProduced) / dt),
                    round((consumed - lastConsumed) / dt), round(rate), round(probeP99));
            lastNanos = now;
            lastProduced = produced;
            lastConsumed = consumed;
            return sample;
        }

        List<FloodSample> stop() {
            return seconds.stop();
        }

        private static double round(double value) {
            return Math.round(value * 100) / 100.0;
        }
    }
}
