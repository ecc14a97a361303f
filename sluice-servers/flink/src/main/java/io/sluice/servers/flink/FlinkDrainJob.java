package io.sluice.servers.flink;

import io.sluice.stream.launch.ProgressFile;
import io.sluice.stream.launch.StreamProgress;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.connectors.cassandra.CassandraSink;
import org.apache.flink.types.Row;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The bench's peer engine: what a user would write with Apache Flink for "Kafka topic to Cassandra table". It drains a
 * topic from the earliest offsets up to the end offsets it finds at start (a bounded {@link KafkaSource}, so the job
 * ends by itself), flattens each JSON record with Jackson ({@link UserRows}) and writes it with the connector's
 * {@link CassandraSink}, in-flight writes capped by {@code setMaxConcurrentRequests}. It runs in a MiniCluster in this
 * JVM, started by the bench with its own classpath (Flink's Kafka client and Jackson differ from Sluice's).
 *
 * <p>Arguments, {@code key=value}: {@code bootstrap}, {@code topic}, {@code cassandra} (host:port), {@code keyspace},
 * {@code table}, {@code ttl} (seconds, 0 = none), {@code consistency}, {@code maxConcurrentRequests} (per sink
 * subtask), {@code parallelism}, {@code progress} (file).
 *
 * <p>Progress goes into the file in the format of Sluice's stream job ({@link StreamProgress}), so the bench times
 * both the same way: {@code started} once the job is submitted; every second a {@code progress} line with the records
 * parsed so far; when the job has finished, i.e. every sink subtask has closed and so waited for all its writes, one
 * {@code batch} line from the first record to that moment, with the offsets drained as its end offsets. Closing stdin
 * cancels the job.
 */
public final class FlinkDrainJob {
    static final String PROGRESS = "progress";

    private FlinkDrainJob() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path progress = Path.of(options.get("progress"));
        String topic = options.get("topic");
        Map<TopicPartition, Long> endOffsets = endOffsets(options.get("bootstrap"), topic);

        Configuration config = new Configuration();
        // The MiniCluster's REST endpoint: loopback only, any free port (the default 8081 may be taken).
        config.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        config.set(RestOptions.ADDRESS, "127.0.0.1");
        config.set(RestOptions.BIND_PORT, "0");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(Integer.parseInt(options.get("parallelism")));

        KafkaSource<Row> source = KafkaSource.<Row>builder()
                .setBootstrapServers(options.get("bootstrap"))
                .setTopics(topic)
                .setGroupId("sluice-bench-flink")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.offsets(endOffsets))
                .setDeserializer(new UserRows())
                .build();
        DataStream<Row> rows = env.fromSource(source, WatermarkStrategy.noWatermarks(), "Kafka " + topic);
        // What CassandraSink.addSink(rows) builds for a Row stream; called directly because javac cannot resolve
        // addSink's overloads without Flink's Scala API on the classpath.
        new CassandraSink.CassandraRowSinkBuilder(rows, rows.getType(), rows.getType().createSerializer(env.getConfig()))
                .setQuery(insert(options))
                .setClusterBuilder(new CassandraContact(options.get("cassandra"), options.get("consistency")))
                .setMaxConcurrentRequests(Integer.parseInt(options.get("maxConcurrentRequests")))
                .build();

        JobClient job = env.executeAsync("sluice-bench-flink " + topic + " -> " + options.get("table"));
        ProgressFile.append(progress, StreamProgress.started(Instant.now(), "flink"));
        watchStdin(job);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(() -> ProgressFile.append(progress, parsedSoFar()), 1, 1, TimeUnit.SECONDS);
        try {
            job.getJobExecutionResult().get();
        } catch (Exception e) {
            ProgressFile.append(progress, StreamProgress.stopped(Instant.now(), "failed: " + e));
            e.printStackTrace();
            System.exit(1);
        }
        ticker.shutdownNow();
        Instant end = Instant.now();
        long records = UserRows.RECORDS.get();
        long first = UserRows.FIRST_RECORD_MILLIS.get();
        ProgressFile.append(progress, StreamProgress.batch(0, end, records, records, 0, null,
                first == 0 ? 0 : end.toEpochMilli() - first, Map.of(topic, byPartition(endOffsets))));
        ProgressFile.append(progress, StreamProgress.stopped(Instant.now(), "drained"));
        System.exit(0);
    }

    /** The records parsed so far; not yet written, so no end offsets (the bench waits for the batch line). */
    private static StreamProgress parsedSoFar() {
        return new StreamProgress(PROGRESS, -1, Instant.now(), UserRows.RECORDS.get(), 0, 0, null, 0, null, null, null,
                0, null, 0, null);
    }

    /** The INSERT the sink prepares; the same TTL and consistency as Sluice's writes of the same pipeline. */
    static String insert(Map<String, String> options) {
        long ttl = Long.parseLong(options.getOrDefault("ttl", "0"));
        return "INSERT INTO " + options.get("keyspace") + "." + options.get("table") + " (id, "
                + String.join(", ", UserRows.COLUMNS) + ") VALUES (?"
                + ", ?".repeat(UserRows.COLUMNS.length) + ")" + (ttl > 0 ? " USING TTL " + ttl : "") + ";";
    }

    /** The topic's end offsets now: where the bounded source stops. */
    private static Map<TopicPartition, Long> endOffsets(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " has no partitions");
            }
            return new LinkedHashMap<>(consumer.endOffsets(partitions));
        }
    }

    private static Map<Integer, Long> byPartition(Map<TopicPartition, Long> offsets) {
        return offsets.entrySet().stream().collect(Collectors.toMap(e -> e.getKey().partition(), Map.Entry::getValue,
                (a, b) -> b, TreeMap::new));
    }

    /** The bench stops the job by closing our stdin; a bench that dies closes it too. */
    private static void watchStdin(JobClient job) {
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // keep reading until EOF
                }
            } catch (IOException ignored) {
                // a broken pipe is EOF too
            }
            job.cancel();
            System.exit(0);
        }, "stdin-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("arguments are key=value, got '" + arg + "'");
            }
            options.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        for (String required : List.of("bootstrap", "topic", "cassandra", "keyspace", "table", "consistency",
                "maxConcurrentRequests", "parallelism", "progress")) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("missing argument " + required + "=...");
            }
        }
        return options;
    }
}
