package io.sluice.ingest.bench;

import io.sluice.config.PipelineConfig;
import io.sluice.ingest.IngestMetrics;
import io.sluice.ingest.IngestPipeline;
import io.sluice.ingest.TestConfigs;
import io.sluice.ingest.source.SourceContext;
import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.SourceRecord;
import io.sluice.ingest.source.SourceTask;
import io.sluice.stack.KafkaServer;
import io.sluice.stack.Ports;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Not a test: a measurement. A source far faster than the throttle feeds a real Kafka broker (sluice-stack, free
 * ports, temp dir) for a while; the produce rate is read from the topic's end offsets, so it is what Kafka stored,
 * not what the producer believes it sent. Prints configured vs measured rate, heap and queue high-water marks and
 * what was dropped under {@code producer.overflow: block} (must be 0).
 *
 * <p>Run (from the repo root; see sluice-ingest/README.md): {@code --seconds 30 --rate 2000 --warmup 5}
 */
public final class ThrottleBenchmark {
    private static final String TOPIC = "bench_throttle";

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        int seconds = Integer.parseInt(opts.getOrDefault("seconds", "30"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "5"));
        double rate = Double.parseDouble(opts.getOrDefault("rate", "2000"));
        int capacity = Integer.parseInt(opts.getOrDefault("queue", "10000"));

        Path dir = Files.createTempDirectory("sluice-throttle-bench");
        try (KafkaServer kafka = new KafkaServer().withDataDir(dir).withPort(Ports.findFree())
                .withControllerPort(Ports.findFree()).withAutoCreateTopics(false).start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            PipelineConfig config = TestConfigs.config(Map.of("pipeline.name", "throttle_bench",
                    "producer.records_per_second", Double.toString(rate), "producer.queue_capacity", Integer.toString(capacity),
                    "producer.overflow", "block", "kafka.bootstrap_servers", kafka.bootstrapServers(), "kafka.topic", TOPIC,
                    "kafka.partitions", "3"));
            GeneratorSource source = new GeneratorSource();
            IngestPipeline pipeline = IngestPipeline.builder(config).source(source).build();
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            System.gc();
            long heapBefore = memory.getHeapMemoryUsage().getUsed();

            pipeline.start();
            long started = System.nanoTime();
            long heapMax = 0;
            int queueMax = 0;
            List<long[]> offsets = new ArrayList<>(); // {nanos since start, end offset sum}
            long nextOffsetSample = started;
            while (System.nanoTime() - started < Duration.ofSeconds(warmup + seconds).toNanos()) {
                heapMax = Math.max(heapMax, memory.getHeapMemoryUsage().getUsed());
                queueMax = Math.max(queueMax, pipeline.metrics().queueDepth());
                if (System.nanoTime() >= nextOffsetSample) {
                    offsets.add(new long[] {System.nanoTime() - started, endOffsets(admin, config.kafkaPartitions())});
                    nextOffsetSample += Duration.ofSeconds(1).toNanos();
                }
                Thread.sleep(50);
            }
            IngestMetrics.Snapshot beforeStop = pipeline.metrics();
            pipeline.close();
            IngestMetrics.Snapshot afterStop = pipeline.metrics();

            long warmupNanos = Duration.ofSeconds(warmup).toNanos();
            long[] first = offsets.stream().filter(o -> o[0] >= warmupNanos).findFirst().orElseThrow();
            long[] last = offsets.get(offsets.size() - 1);
            double measured = (last[1] - first[1]) / ((last[0] - first[0]) / 1e9);
            double deviation = (measured - rate) / rate * 100;

            System.out.printf("%nThrottle benchmark (source generates without limit; producer.overflow=block)%n");
            System.out.printf("  configured rate         : %.0f records/s (producer.records_per_second)%n", rate);
            System.out.printf("  measured Kafka rate     : %.1f records/s over %.1f s (topic end offsets, after %d s warm-up)%n",
                    measured, (last[0] - first[0]) / 1e9, warmup);
            System.out.printf("  deviation               : %+.2f %%%n", deviation);
            System.out.printf("  records generated       : %d (the source only slowed down because the full queue blocked it)%n",
                    source.generated());
            System.out.printf("  heap used               : %d MiB max sampled (%d MiB before start; -Xmx %d MiB)%n",
                    heapMax >> 20, heapBefore >> 20, Runtime.getRuntime().maxMemory() >> 20);
            System.out.printf("  queue depth             : %d max vs capacity %d%n", queueMax, capacity);
            System.out.printf("  dropped while running   : %d (block must drop nothing)%n", beforeStop.droppedTotal());
            System.out.printf("  not queued at stop      : %d (the batch the source held when stop began; its position was "
                    + "never committed, so a restart reads it again) %s%n", afterStop.droppedTotal() - beforeStop.droppedTotal(),
                    afterStop.dropped());
            System.out.printf("  sent / send errors      : %d / %d%n", afterStop.recordsSent(), afterStop.sendErrors());
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static long endOffsets(Admin admin, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
        }
        return admin.listOffsets(request).all().get().values().stream().mapToLong(r -> r.offset()).sum();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            out.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return out;
    }

    /** Hands out 1,000 users per poll, as fast as the queue takes them: always ahead of the throttle. */
    private static final class GeneratorSource implements SourceTask {
        private volatile boolean stopped;
        private long n;

        @Override
        public void start(SourceContext context) {
        }

        @Override
        public List<SourceRecord> poll(Duration timeout) {
            if (stopped) {
                return List.of();
            }
            List<SourceRecord> batch = new ArrayList<>(1000);
            for (int i = 0; i < 1000; i++, n++) {
                String uuid = UUID.nameUUIDFromBytes(("bench:" + n).getBytes(StandardCharsets.UTF_8)).toString();
                String json = "{\"gender\":\"female\",\"name\":{\"title\":\"Ms\",\"first\":\"Ada\",\"last\":\"Lovelace\"},"
                        + "\"email\":\"user" + n + "@example.com\",\"login\":{\"uuid\":\"" + uuid + "\",\"username\":\"user" + n
                        + "\"},\"dob\":{\"date\":\"1990-01-01T00:00:00.000Z\",\"age\":35},\"phone\":\"555-0100\"}";
                batch.add(new SourceRecord(uuid, json.getBytes(StandardCharsets.UTF_8), SourcePosition.of("gen-" + n)));
            }
            return batch;
        }

        long generated() {
            return n;
        }

        @Override
        public void stop() {
            stopped = true;
        }
    }

    private ThrottleBenchmark() {
    }
}
