package io.sluice.stream.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.stack.KafkaServer;
import io.sluice.stream.MicroBatch;
import io.sluice.stream.PipelineSink;
import io.sluice.stack.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.v2.DataSourceRDD;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;

/**
 * Sluice's Kafka reader against Spark's, on a real broker and real streaming queries: for every micro-batch, the rows
 * Spark's own reader makes and the rows of {@link KafkaBatchReads} must be the same, column by column, in one task and
 * in several; offsets without a visible record (transactions) are skipped as Spark skips them; records that retention
 * removed before they were read fail the read, or are skipped when {@code failOnDataLoss} is off.
 */
class KafkaBatchReadsIT {
    private static Path dir;
    private static KafkaServer kafka;
    private static Admin admin;
    private static SparkSession spark;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("kafka-batch-reads");
        kafka = new KafkaServer().withDataDir(dir.resolve("kafka")).withPort(Ports.findFree())
                .withControllerPort(Ports.findFree()).withAutoCreateTopics(false).start();
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        admin = Admin.create(props);
        spark = SparkSession.builder().master("local[2]").appName("kafka-batch-reads-it")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
    }

    @AfterAll
    static void stop() throws Exception {
        admin.close();
        kafka.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void readsEveryBatchAsSparkReadsIt() throws Exception {
        createTopic("plain", 3);
        Random random = new Random(7);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        // Timestamps of now: older than the broker's retention (7 days), the whole log is deleted by the first
        // retention pass (30 s after the broker starts, then every 5 minutes), which once ran in the middle of a read.
        long now = System.currentTimeMillis();
        for (int i = 0; i < 3_000; i++) {
            byte[] value = new byte[1 + random.nextInt(600)];
            random.nextBytes(value); // not UTF-8, on purpose: the reader must not care
            records.add(new ProducerRecord<>("plain", i % 3, now + i,
                    i % 5 == 0 ? null : ("k" + i).getBytes(), i % 97 == 0 ? null : value));
        }
        produce(records, Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"));

        List<String> batches = compareEachBatch("plain", Map.of("maxOffsetsPerTrigger", "700"));

        assertThat(batches).hasSizeGreaterThan(3).allMatch(line -> line.startsWith("same"));
        assertThat(batches.stream().mapToLong(KafkaBatchReadsIT::rowsOf).sum()).isEqualTo(3_000);
        assertThat(PooledConsumers.idle()).as("each partition's consumer is kept for the next batch").isPositive();
    }

    /**
     * Spark's own progress of a query (numInputRows, the rates beside it) counts the rows of its scan, which a batch
     * read by Sluice's reader never runs: the reader counts into the scan's metric instead. Here only Sluice's reader
     * reads each batch, so every row Spark's progress counts is one it read.
     */
    @Test
    void sparksQueryProgressCountsTheRowsSluicesReaderRead() throws Exception {
        createTopic("counted", 3);
        long now = System.currentTimeMillis();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            records.add(new ProducerRecord<>("counted", i % 3, now + i, null, ("v" + i).getBytes()));
        }
        produce(records, Map.of());
        List<Long> readByUs = new ArrayList<>();
        StreamingQuery query = drainEachBatch("counted", Map.of("maxOffsetsPerTrigger", "300"), batch -> {
            KafkaBatchReads reads = KafkaBatchReads.of(batch.scanRows(), batch.schema()).orElseThrow();
            readByUs.add(new JavaRDD<>(reads.rows(2), ClassTag$.MODULE$.apply(InternalRow.class)).count());
        });

        List<Long> sparksCount = Stream.of(query.recentProgress()).map(p -> p.numInputRows())
                .filter(rows -> rows > 0).toList();
        assertThat(readByUs).hasSizeGreaterThan(3);
        assertThat(readByUs.stream().mapToLong(Long::longValue).sum()).isEqualTo(1_000);
        assertThat(sparksCount).as("Spark's numInputRows of each batch").isEqualTo(readByUs);
    }

    @Test
    void offsetsWithoutAVisibleRecordAreSkippedAsSparkSkipsThem() throws Exception {
        createTopic("tx", 2);
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "kafka-batch-reads-it");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.initTransactions();
            int sent = 0;
            for (boolean commit : new boolean[] {true, false, true, false, true}) {
                producer.beginTransaction();
                for (int i = 0; i < 40; i++, sent++) {
                    producer.send(new ProducerRecord<>("tx", sent % 2, null, ("{\"n\":" + sent + "}").getBytes()));
                }
                producer.flush(); // an aborted transaction's records are in the log too, for read_uncommitted
                if (commit) {
                    producer.commitTransaction();
                } else {
                    producer.abortTransaction();
                }
            }
        }

        // Spark's reader waits out its whole poll timeout at a batch that ends in a transaction's marker: 2 s, not 120.
        List<String> committed = compareEachBatch("tx", Map.of("maxOffsetsPerTrigger", "50",
                "kafka.isolation.level", "read_committed", "kafkaConsumer.pollTimeoutMs", "2000"));
        List<String> everything = compareEachBatch("tx", Map.of("maxOffsetsPerTrigger", "50",
                "kafkaConsumer.pollTimeoutMs", "2000"));

        assertThat(committed).allMatch(line -> line.startsWith("same"));
        assertThat(committed.stream().mapToLong(KafkaBatchReadsIT::rowsOf).sum()).isEqualTo(120);
        assertThat(everything).allMatch(line -> line.startsWith("same"));
        assertThat(everything.stream().mapToLong(KafkaBatchReadsIT::rowsOf).sum()).isEqualTo(200);

        // A range that ends in the log's last marker, read with Spark's default poll timeout: it ends at once.
        long end = admin.listOffsets(Map.of(new TopicPartition("tx", 0), OffsetSpec.latest())).all().get()
                .get(new TopicPartition("tx", 0)).offset();
        Map<String, Object> consumer = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "tx-reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        long started = System.nanoTime();
        List<Long> offsets = readAll(new ReadRanges(consumer, 120_000, true, null), new OffsetRange("tx", 0, 0, end, null));
        assertThat(offsets).hasSize(60);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not the poll timeout").isLessThan(
                Duration.ofSeconds(60));
    }

    @Test
    void recordsGoneBeforeTheyWereReadFailTheReadUnlessFailOnDataLossIsOff() throws Exception {
        createTopic("lost", 1);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            records.add(new ProducerRecord<>("lost", 0, null, ("r" + i).getBytes()));
        }
        produce(records, Map.of());
        TopicPartition partition = new TopicPartition("lost", 0);
        admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(60))).all().get();
        Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "lost-reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        OffsetRange range = new OffsetRange("lost", 0, 0, 100, null);

        assertThatThrownBy(() -> readAll(new ReadRanges(settings, 10_000, true, null), range))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("offsets [0, 60) of lost-0")
                .hasMessageContaining("retention.ms");
        assertThat(readAll(new ReadRanges(settings, 10_000, false, null), range))
                .as("failOnDataLoss=false: the rest of the range").hasSize(40).first().isEqualTo(60L);
    }

    @Test
    void anyOtherPlanIsLeftToSparksReader() {
        Dataset<Row> numbers = spark.range(3).toDF("n");
        assertThat(KafkaBatchReads.of(numbers.queryExecution().toRdd(), numbers.schema())).isEmpty();
        Dataset<Row> kafkaShaped = spark.createDataFrame(List.of(), KafkaBatchReads.KAFKA_COLUMNS);
        assertThat(KafkaBatchReads.of(kafkaShaped.queryExecution().toRdd(), kafkaShaped.schema()))
                .as("Kafka's columns, but not a scan of Kafka ranges").isEmpty();
    }

    @Test
    void theConsumerSettingsAreSparksWithTheValueAsAView() {
        ReadRanges reads = new ReadRanges(Map.of("bootstrap.servers", "127.0.0.1:1", "group.id", "g",
                "value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer"), 1_000, true, null);
        assertThat(reads.consumerSettings())
                .containsEntry("bootstrap.servers", "127.0.0.1:1").containsEntry("group.id", "g")
                .containsEntry("value.deserializer", "org.apache.kafka.common.serialization.ByteBufferDeserializer");
    }

    /** The offsets read from {@code range}, outside any Spark task. */
    private static List<Long> readAll(ReadRanges reads, OffsetRange range) {
        List<Long> offsets = new ArrayList<>();
        CollectionConverters.asJava(reads.apply(CollectionConverters.asScala(List.of(List.of(range)).iterator())))
                .forEachRemaining(row -> offsets.add(row.getLong(RangeRows.OFFSET)));
        return offsets;
    }

    /**
     * Drains {@code topic} from its start with a streaming query; for each micro-batch, "same N" when Spark's rows and
     * Sluice's (in one task, and in one task per range) are the same N rows, else what differs.
     */
    private List<String> compareEachBatch(String topic, Map<String, String> options) throws Exception {
        List<String> lines = new ArrayList<>();
        drainEachBatch(topic, options, batch -> lines.add(compare(batch)));
        return lines;
    }

    /**
     * Drains {@code topic} from its start with a streaming query that hands each micro-batch to {@code body}, through
     * the pipeline's own sink.
     */
    private StreamingQuery drainEachBatch(String topic, Map<String, String> options, Consumer<MicroBatch> body)
            throws Exception {
        Path checkpoint = Files.createTempDirectory(dir, "checkpoint");
        Dataset<Row> source = spark.readStream().format("kafka")
                .option("kafka.bootstrap.servers", kafka.bootstrapServers())
                .option("subscribe", topic)
                .option("startingOffsets", "earliest")
                .options(options)
                .load();
        StreamingQuery query = PipelineSink.attach(source.writeStream(), (batch, id) -> body.accept(batch))
                .option("checkpointLocation", checkpoint.toString())
                .trigger(Trigger.AvailableNow())
                .start();
        query.awaitTermination();
        assertThat(query.exception().isEmpty()).as("query failed: %s", query.exception()).isTrue();
        return query;
    }

    /** Spark's executed rows of {@code batch} against Sluice's reader of the ranges in the batch's plan. */
    private static String compare(MicroBatch batch) {
        if (!(batch.scanRows() instanceof DataSourceRDD)) {
            return "the writer would run Spark's plan to find the ranges: " + batch.plan();
        }
        RDD<InternalRow> planned = MicroBatch.plannedRows(batch.dataset());
        KafkaBatchReads reads = KafkaBatchReads.of(batch.scanRows(), batch.schema()).orElseThrow(
                () -> new AssertionError("Sluice's reader does not take this batch: " + batch.plan()));
        List<String> sparks = sorted(describe(planned, false));
        List<String> oneTask = sorted(describe(reads.rows(1), true));
        List<String> taskPerRange = sorted(describe(reads.rows(reads.ranges().size()), true));
        if (!sparks.equals(oneTask) || !sparks.equals(taskPerRange)) {
            return "differ: spark " + sparks.size() + " rows, ours " + oneTask.size() + " / " + taskPerRange.size()
                    + "; first of spark's missing from ours: "
                    + sparks.stream().filter(row -> !oneTask.contains(row)).findFirst().orElse("none");
        }
        return "same " + sparks.size();
    }

    private static long rowsOf(String line) {
        return Long.parseLong(line.substring(line.indexOf(' ') + 1));
    }

    private static List<String> sorted(List<String> rows) {
        List<String> copy = new ArrayList<>(rows);
        copy.sort(null);
        return copy;
    }

    /** Each row as text, every column (rows are reused, so each is described as it comes). */
    private static List<String> describe(RDD<InternalRow> rows, boolean valueAsText) {
        JavaRDD<InternalRow> java = new JavaRDD<>(rows, ClassTag$.MODULE$.apply(InternalRow.class));
        return java.map(row -> describe(row, valueAsText)).collect();
    }

    private static String describe(InternalRow row, boolean valueAsText) {
        HexFormat hex = HexFormat.of();
        String key = row.isNullAt(RangeRows.KEY) ? "null" : hex.formatHex(row.getBinary(RangeRows.KEY));
        String value = row.isNullAt(RangeRows.VALUE) ? "null" : hex.formatHex(valueAsText
                ? row.getUTF8String(RangeRows.VALUE).getBytes() : row.getBinary(RangeRows.VALUE));
        return row.getUTF8String(RangeRows.TOPIC) + "/" + row.getInt(RangeRows.PARTITION) + "@"
                + row.getLong(RangeRows.OFFSET) + " t=" + row.getLong(RangeRows.TIMESTAMP) + "/"
                + row.getInt(RangeRows.TIMESTAMP_TYPE) + " key=" + key + " value=" + value;
    }

    /**
     * Creates the topic and waits until each partition's leader answers for it (a ListOffsets goes to the leader). An
     * idempotent producer that sends before that can have its first batch refused (NOT_LEADER_OR_FOLLOWER) and every
     * retry answered OUT_OF_ORDER_SEQUENCE_NUMBER (KAFKA-15591; this test once timed out on it in CI), as
     * {@code TopicProvisioner} waits for the pipeline's own topics.
     */
    private static void createTopic(String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int partition = 0; partition < partitions; partition++) {
            latest.put(new TopicPartition(topic, partition), OffsetSpec.latest());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                admin.listOffsets(latest).all().get();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.RetriableException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /** Sends the records and waits for every acknowledgement: a record that did not go fails the test here. */
    private static void produce(List<ProducerRecord<byte[], byte[]>> records, Map<String, Object> extra)
            throws Exception {
        Map<String, Object> settings = new HashMap<>(extra);
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (ProducerRecord<byte[], byte[]> record : records) {
                acks.add(producer.send(record));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(60, TimeUnit.SECONDS);
            }
        }
    }
}
