package io.sluice.config;

import static io.sluice.config.ConfigType.BYTES;
import static io.sluice.config.ConfigType.DOUBLE;
import static io.sluice.config.ConfigType.DURATION;
import static io.sluice.config.ConfigType.INT;
import static io.sluice.config.ConfigType.LONG;
import static io.sluice.config.ConfigType.MAP;
import static io.sluice.config.ConfigType.STRING;
import static io.sluice.config.Validators.atLeast;
import static io.sluice.config.Validators.between;
import static io.sluice.config.Validators.cqlIdentifier;
import static io.sluice.config.Validators.durationAtLeast;
import static io.sluice.config.Validators.hostPorts;
import static io.sluice.config.Validators.nonEmptyMap;
import static io.sluice.config.Validators.notBlank;
import static io.sluice.config.Validators.oneOf;
import static io.sluice.config.Validators.url;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A pipeline file, parsed once into typed getters. {@link #DEFINITION} is the single place where every key's type,
 * default, validator and doc live; {@code docs/pipeline-reference.md} is generated from it.
 */
public final class PipelineConfig {
    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9._\\-]{1,249}");
    private static final Pattern KEY_PATH = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

    public static final ConfigDef DEFINITION = new ConfigDef()
            .defineRequired("pipeline.name", STRING, cqlIdentifier(),
                    "Name of this pipeline; names its checkpoint directory and its Kafka consumer identity")

            .define("source.type", STRING, "rest_poll", oneOf("rest_poll"),
                    "Kind of API to read. `rest_poll` calls a REST endpoint every `source.interval`")
            .defineRequired("source.url", STRING, url(), "Address of the API endpoint")
            .define("source.interval", DURATION, "1s", durationAtLeast(Duration.ofMillis(10)),
                    "Time between two polls of a REST source")
            .define("source.records_path", STRING, "results", Validator.NONE,
                    "Dot path to the array of records in each response body; empty when the body itself is the array")
            .define("source.timeout", DURATION, "10s", durationAtLeast(Duration.ofMillis(100)),
                    "Request timeout for one call to the source")

            .define("record.key", STRING, "login.uuid", v -> KEY_PATH.matcher((String) v).matches() ? null
                            : "must be a dot path to a field, such as login.uuid",
                    "Dot path to the record's natural key. It becomes the Kafka record key and, hashed to a name-based "
                            + "UUID, the Cassandra primary key, so a replayed record overwrites itself")
            .defineRequired("record.schema", STRING, notBlank(),
                    "Spark DDL schema of one record, e.g. `name STRUCT<first: STRING>, email STRING`")

            .define("producer.records_per_second", DOUBLE, 500.0, between(0.001, 1_000_000),
                    "Throttle: most records per second sent to Kafka, whatever the source delivers")
            .define("producer.bytes_per_second", BYTES, "8MiB", atLeast(1024),
                    "Throttle: most record bytes per second sent to Kafka")
            .define("producer.queue_capacity", INT, 10_000, between(1, 10_000_000),
                    "Bound on records waiting between the source and the producer")
            .define("producer.overflow", STRING, "block", oneOf("block", "drop_oldest", "fail"),
                    "What a full queue does: `block` pushes back on the source, `drop_oldest` drops and counts, `fail` stops")
            .define("producer.linger", DURATION, "20ms", durationAtLeast(Duration.ZERO),
                    "Kafka `linger.ms`: how long a batch waits to fill before it is sent")
            .define("producer.batch_size", BYTES, "64KiB", between(1, 16 << 20),
                    "Kafka `batch.size`: most bytes in one partition batch")
            .define("producer.compression", STRING, "lz4", oneOf("none", "gzip", "snappy", "lz4", "zstd"),
                    "Kafka `compression.type` for record batches")
            .define("producer.retries", INT, 10, between(0, 1000),
                    "Bounded retries of a failed send (the producer is idempotent with acks=all, so retries never duplicate)")
            .define("producer.delivery_timeout", DURATION, "2m", durationAtLeast(Duration.ofSeconds(1)),
                    "Kafka `delivery.timeout.ms`: give up on a record after this long")

            .define("kafka.bootstrap_servers", STRING, "127.0.0.1:9092", hostPorts(),
                    "Kafka brokers, comma-separated host:port")
            .define("kafka.topic", STRING, "users_created", v -> TOPIC_NAME.matcher((String) v).matches() ? null
                    : "must be a Kafka topic name (letters, digits, '.', '_', '-')", "Topic that buffers the records")
            .define("kafka.partitions", INT, 3, between(1, 10_000),
                    "Partitions of the topic when Sluice creates it")
            .define("kafka.replication_factor", INT, 1, between(1, 32),
                    "Replication factor of the topic when Sluice creates it")

            .define("stream.trigger_interval", DURATION, "10s", durationAtLeast(Duration.ofMillis(100)),
                    "Spark `processingTime` trigger: one micro-batch at most this often; data arriving between waits in Kafka")
            .define("stream.max_offsets_per_trigger", LONG, 1000L, atLeast(1),
                    "Spark `maxOffsetsPerTrigger`: most Kafka records in one micro-batch")
            .define("stream.starting_offsets", STRING, "earliest", oneOf("earliest", "latest"),
                    "Where a brand-new checkpoint starts reading the topic")
            .define("stream.checkpoint_dir", STRING, null, Validator.NONE,
                    "Spark checkpoint directory; relative paths are under the data dir. Default: `<data dir>/checkpoints/<pipeline.name>`")
            .define("stream.master", STRING, "local[2]", notBlank(),
                    "Spark master when Sluice runs the job itself; ignored under spark-submit")
            .define("stream.partitions", INT, 2, between(1, 10_000),
                    "Spark partitions per micro-batch, hash-aligned on the Cassandra partition key")

            .define("cassandra.contact_points", STRING, "127.0.0.1:9042", hostPorts(),
                    "Cassandra nodes, comma-separated host:port")
            .define("cassandra.local_dc", STRING, "datacenter1", notBlank(), "Cassandra local datacenter name")

            .define("sink.keyspace", STRING, "spark_streams", cqlIdentifier(), "Keyspace, created if missing")
            .define("sink.table", STRING, "created_users", cqlIdentifier(), "Table, created if missing")
            .define("sink.replication_factor", INT, 1, between(1, 32),
                    "Replication factor of the keyspace when Sluice creates it (SimpleStrategy)")
            .define("sink.key_column", STRING, "id", cqlIdentifier(),
                    "Primary-key column (uuid), derived from `record.key` as a name-based UUID: never random")
            .defineRequired("sink.columns", MAP, nonEmptyMap(),
                    "Table columns (all `text`): column name -> Spark SQL expression over the parsed record")
            .define("sink.ttl", DURATION, "0s", durationAtLeast(Duration.ZERO),
                    "Time-to-live of written rows; 0s keeps rows forever")
            .define("sink.consistency", STRING, "LOCAL_QUORUM",
                    oneOf("ANY", "ONE", "TWO", "THREE", "QUORUM", "ALL", "LOCAL_QUORUM", "EACH_QUORUM", "LOCAL_ONE"),
                    "Write consistency level")
            .define("sink.concurrent_writes", INT, 16, between(1, 1024),
                    "Most batches in flight per Spark task (connector `output.concurrent.writes`): bounds load on Cassandra")
            .define("sink.throughput_mb_per_sec", DOUBLE, 64.0, between(0.01, 100_000),
                    "Most MB/s each Spark task writes (connector `output.throughput_mb_per_sec`)");

    private final ConfigValues values;
    private final String origin;

    private PipelineConfig(ConfigValues values, String origin) {
        this.values = values;
        this.origin = origin;
    }

    /** Reads and validates a pipeline file; {@code overrides} are {@code key=value} pairs that win over the file. */
    public static PipelineConfig load(Path file, Map<String, String> overrides) {
        Map<String, Object> flat = PipelineFileReader.read(file, DEFINITION);
        return from(flat, overrides, file.toString());
    }

    public static PipelineConfig from(Map<String, Object> flat, Map<String, String> overrides, String origin) {
        Map<String, Object> merged = new java.util.LinkedHashMap<>(flat);
        merged.putAll(overrides);
        List<ConfigProblem> problems = new ArrayList<>();
        ConfigValues values = DEFINITION.parse(merged, problems);
        PipelineConfig config = new PipelineConfig(values, origin);
        config.checkAcrossKeys(problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(origin, problems);
        }
        return config;
    }

    private void checkAcrossKeys(List<ConfigProblem> problems) {
        if (sinkColumns().containsKey(sinkKeyColumn())) {
            problems.add(new ConfigProblem("sink.columns", sinkKeyColumn(),
                    "must not contain the key column named by `sink.key_column`; Sluice derives it from `record.key`"));
        }
        sinkColumns().keySet().stream().filter(c -> cqlIdentifier().check(c) != null).forEach(c ->
                problems.add(new ConfigProblem("sink.columns", c, "column names " + cqlIdentifier().check(c))));
        if (producerBytesPerSecond() < producerBatchSize() / 64) {
            problems.add(new ConfigProblem("producer.bytes_per_second", producerBytesPerSecond(),
                    "is too small for `producer.batch_size` (" + producerBatchSize() + " bytes); raise it or lower the batch size"));
        }
    }

    public String origin() { return origin; }
    public String name() { return values.string("pipeline.name"); }

    public String sourceType() { return values.string("source.type"); }
    public String sourceUrl() { return values.string("source.url"); }
    public Duration sourceInterval() { return values.duration("source.interval"); }
    public String sourceRecordsPath() { return values.string("source.records_path"); }
    public Duration sourceTimeout() { return values.duration("source.timeout"); }

    public String recordKey() { return values.string("record.key"); }
    public String recordSchema() { return values.string("record.schema"); }

    public double producerRecordsPerSecond() { return values.doubleValue("producer.records_per_second"); }
    public long producerBytesPerSecond() { return (Long) values.raw("producer.bytes_per_second"); }
    public int producerQueueCapacity() { return values.integer("producer.queue_capacity"); }
    public String producerOverflow() { return values.string("producer.overflow"); }
    public Duration producerLinger() { return values.duration("producer.linger"); }
    public long producerBatchSize() { return (Long) values.raw("producer.batch_size"); }
    public String producerCompression() { return values.string("producer.compression"); }
    public int producerRetries() { return values.integer("producer.retries"); }
    public Duration producerDeliveryTimeout() { return values.duration("producer.delivery_timeout"); }

    public String kafkaBootstrapServers() { return values.string("kafka.bootstrap_servers"); }
    public String kafkaTopic() { return values.string("kafka.topic"); }
    public int kafkaPartitions() { return values.integer("kafka.partitions"); }
    public int kafkaReplicationFactor() { return values.integer("kafka.replication_factor"); }

    public Duration streamTriggerInterval() { return values.duration("stream.trigger_interval"); }
    public long streamMaxOffsetsPerTrigger() { return values.longValue("stream.max_offsets_per_trigger"); }
    public String streamStartingOffsets() { return values.string("stream.starting_offsets"); }
    public String streamMaster() { return values.string("stream.master"); }
    public int streamPartitions() { return values.integer("stream.partitions"); }

    /** The checkpoint directory: as configured if absolute, else under {@code dataDir}. */
    public Path checkpointDir(Path dataDir) {
        String configured = values.string("stream.checkpoint_dir");
        if (configured == null || configured.isBlank()) {
            return dataDir.resolve("checkpoints").resolve(name()).toAbsolutePath();
        }
        Path p = Path.of(configured);
        return (p.isAbsolute() ? p : dataDir.resolve(p)).toAbsolutePath();
    }

    public String cassandraContactPoints() { return values.string("cassandra.contact_points"); }
    public String cassandraLocalDc() { return values.string("cassandra.local_dc"); }

    public String sinkKeyspace() { return values.string("sink.keyspace"); }
    public String sinkTable() { return values.string("sink.table"); }
    public int sinkReplicationFactor() { return values.integer("sink.replication_factor"); }
    public String sinkKeyColumn() { return values.string("sink.key_column"); }
    public Map<String, String> sinkColumns() { return values.map("sink.columns"); }
    public Duration sinkTtl() { return values.duration("sink.ttl"); }
    public String sinkConsistency() { return values.string("sink.consistency"); }
    public int sinkConcurrentWrites() { return values.integer("sink.concurrent_writes"); }
    public double sinkThroughputMbPerSec() { return values.doubleValue("sink.throughput_mb_per_sec"); }
}
