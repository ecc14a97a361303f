package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.bench.WriteCounter;
import io.sluice.demoapi.DemoApiServer;
import io.sluice.demoapi.UserGenerator;
import io.sluice.ingest.IngestPipeline;
import io.sluice.stack.spark.SparkStandalone;
import io.sluice.stack.spark.SparkWorker;
import io.sluice.stream.launch.StreamJobProcess;
import io.sluice.stream.launch.StreamProgress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.UUID;
import io.sluice.config.ConfigException;
import io.sluice.config.PipelineConfig;
import io.sluice.ingest.kafka.TopicProvisioner;
import io.sluice.stack.ClusterNode;
import io.sluice.stack.ClusterStack;
import io.sluice.stack.Ports;
import io.sluice.stream.KeyspaceProvisioner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole multi-node stack on loopback addresses, shared by the class: three Kafka brokers, three Cassandra nodes on
 * 127.0.0.1-3, a Spark standalone master and two workers, each node a real server in its own JVM. The keyspace and
 * topics get the replication the pipeline configures (existing ones with other settings are reported and left alone);
 * the shaded jar runs under spark-submit on the master; the write cap holds for the whole cluster; and 50,000 records
 * survive one broker, one Cassandra node and one Spark worker SIGKILLed in turn, exactly once, with their contents.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    static final Path CLUSTER_PIPELINE = Path.of(System.getProperty("sluice.home", "..")).resolve("pipelines/cluster-users.yaml");
    static final int USERS = 50_000;
    static final String SEED = "cluster";

    @TempDir
    static Path dataDir;
    static ClusterStack stack;
    static SparkStandalone spark;
    static DemoApiServer api;

    @BeforeAll
    static void startCluster() {
        int cql = Ports.findFree();
        spark = new SparkStandalone().withWorkers(2).withFreePorts();
        stack = new ClusterStack().withDataDir(dataDir)
                .withKafkaPorts(new int[] {Ports.findFree(), Ports.findFree(), Ports.findFree()},
                        new int[] {Ports.findFree(), Ports.findFree(), Ports.findFree()})
                .withCassandraPorts(cql, Ports.findFree())
                .withJmxPorts(new int[] {Ports.findFree(), Ports.findFree(), Ports.findFree()})
                .withSpark(spark);
        long started = System.nanoTime();
        stack.start();
        api = new DemoApiServer().withPort(0).withSeed(SEED).withTotal(USERS).start();
        System.out.printf("ClusterIT: 3 brokers, 3 Cassandra nodes, a Spark master and 2 workers ready in %.1f s; RSS %s%n",
                (System.nanoTime() - started) / 1e9, rss());
    }

    @AfterAll
    static void stopCluster() {
        if (api != null) {
            api.close();
        }
        if (stack != null) {
            stack.stop();
        }
    }

    @Test
    @Order(1)
    void everyNodeIsItsOwnLiveProcessAtItsOwnAddress() {
        List<ClusterNode> nodes = stack.nodes();

        assertThat(nodes).extracting(ClusterNode::name).as("three brokers, three Cassandra nodes, a Spark master and two workers")
                .containsExactly("kafka-1", "kafka-2", "kafka-3", "cassandra-1", "cassandra-2", "cassandra-3",
                        "spark-master", "spark-worker-1", "spark-worker-2");
        assertThat(nodes).as("every node is alive").allSatisfy(n -> assertThat(n.alive()).as(n.toString()).isTrue());
        assertThat(nodes.stream().map(n -> n.pid().getAsLong()).distinct().count()).as("each node is its own JVM").isEqualTo(9);
        assertThat(nodes.stream().filter(n -> n.name().startsWith("cassandra")).map(ClusterNode::address))
                .as("the Cassandra nodes listen on 127.0.0.1, .2 and .3")
                .containsExactly("127.0.0.1:" + port(0), "127.0.0.2:" + port(0), "127.0.0.3:" + port(0));
        assertThat(stack.status()).as("every node answers a real query")
                .allSatisfy(s -> assertThat(s.ready()).as(s.toString()).isTrue());
        try (Admin admin = admin()) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).as("one Kafka cluster of three brokers").hasSize(3);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        try (CqlSession session = cql()) {
            assertThat(session.execute("SELECT peer FROM system.peers").all()).as("the node sees two peers in its ring").hasSize(2);
        }
        assertThat(spark.master().aliveWorkers()).as("both workers registered with the master").isEqualTo(2);
    }

    @Test
    @Order(2)
    void replicationIsCreatedAsConfiguredAndExistingSettingsAreReportedNotChanged() throws Exception {
        PipelineConfig config = PipelineConfig.load(CLUSTER_PIPELINE, Map.of(
                "kafka.bootstrap_servers", stack.kafkaBootstrap(), "kafka.topic", "replicated_users",
                "cassandra.contact_points", stack.cassandraContactPoints(), "sink.keyspace", "replicated"));

        assertThat(TopicProvisioner.ensure(config)).as("the topic is new").isEqualTo(TopicProvisioner.Outcome.CREATED);
        try (Admin admin = admin(); CqlSession session = cql()) {
            assertThat(replicasPerPartition(admin, "replicated_users")).as("replication factor 3 on every partition")
                    .containsOnly(3);
            assertThat(minInsyncReplicas(admin, "replicated_users")).isEqualTo("2");
            assertThat(replicasPerPartition(admin, "replicated_users.dlq")).as("the dead-letter topic too").containsOnly(3);
            assertThat(minInsyncReplicas(admin, "replicated_users.dlq")).isEqualTo("2");

            assertThat(KeyspaceProvisioner.ensure(session, "replicated", config.sinkReplication()))
                    .isEqualTo(KeyspaceProvisioner.Outcome.CREATED);
            assertThat(KeyspaceProvisioner.replicationOf(session, "replicated")).as("system_schema holds what the pipeline asked")
                    .containsEntry("class", "org.apache.cassandra.locator.SimpleStrategy")
                    .containsEntry("replication_factor", "3");
            assertThat(KeyspaceProvisioner.ensure(session, "replicated", config.sinkReplication()))
                    .as("a second start finds it as configured").isEqualTo(KeyspaceProvisioner.Outcome.EXISTS);

            admin.createTopics(List.of(new NewTopic("legacy_topic", 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            session.execute("CREATE KEYSPACE legacy WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            TopicProvisioner provisioner = new TopicProvisioner(admin, stack.kafkaBootstrap());
            assertThat(provisioner.ensure("legacy_topic", TopicProvisioner.TopicSettings.of(config)))
                    .as("a topic with replication factor 1 is reported").isEqualTo(TopicProvisioner.Outcome.EXISTS_WITH_OTHER_SETTINGS);
            assertThat(replicasPerPartition(admin, "legacy_topic")).as("and left as it was").containsOnly(1);
            assertThat(KeyspaceProvisioner.ensure(session, "legacy", config.sinkReplication()))
                    .as("a keyspace with replication factor 1 is reported").isEqualTo(KeyspaceProvisioner.Outcome.EXISTS_WITH_OTHER_REPLICATION);
            assertThat(KeyspaceProvisioner.replicationOf(session, "legacy")).as("and left as it was")
                    .containsEntry("replication_factor", "1");
        }
        PipelineConfig tooMany = PipelineConfig.load(CLUSTER_PIPELINE, Map.of("kafka.bootstrap_servers", stack.kafkaBootstrap(),
                "kafka.topic", "four_replicas", "kafka.replication_factor", "4"));
        assertThatThrownBy(() -> TopicProvisioner.ensure(tooMany)).as("more replicas than brokers is the config's fault")
                .isInstanceOf(ConfigException.class).hasMessageContaining("`kafka.replication_factor`");
    }

    /** bin/spark-submit --master spark://... with the -spark.jar: the executors get the Kafka source and connector from it. */
    @Test
    @Order(3)
    void sparkSubmitRunsTheShadedJarOnTheStandaloneMaster() throws Exception {
        int records = 3_000;
        String topic = "submitted_users";
        produceUsers(topic, records);
        Path progress = dataDir.resolve("submit/progress.jsonl");
        Path log = dataDir.resolve("submit/spark-submit.log");
        Files.createDirectories(log.getParent());
        Path jar = new StreamJobProcess(CLUSTER_PIPELINE).jobJar()
                .orElseThrow(() -> new AssertionError("the build makes sluice-stream/target/sluice-stream-*-spark.jar"));
        List<String> cmd = new ArrayList<>(List.of(spark.sparkHome().sparkSubmit().toString(),
                "--master", spark.masterUrl(), "--deploy-mode", "client", "--class", "io.sluice.stream.StreamJob",
                "--driver-memory", "512m", "--executor-memory", "512m", "--executor-cores", "1",
                "--total-executor-cores", "2", "--conf", "spark.driver.host=127.0.0.1",
                jar.toString(), "--pipeline", CLUSTER_PIPELINE.toString(), "--available-now",
                "--progress-file", progress.toString()));
        jobSettings(topic, "submitted", Map.of()).forEach((k, v) -> cmd.addAll(List.of("--set", k + "=" + v)));
        Process submit = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(submit.waitFor(4, TimeUnit.MINUTES)).as("spark-submit drains the topic; log tail:%n%s", tail(log)).isTrue();
            assertThat(submit.exitValue()).as("spark-submit's exit code; log tail:%n%s", tail(log)).isZero();
        } finally {
            submit.destroyForcibly();
        }
        long rows = countRows("submitted");
        System.out.printf("ClusterIT: spark-submit of %s on %s: %d records, %d rows%n", jar.getFileName(), spark.masterUrl(),
                records, rows);
        assertThat(Files.readString(log)).as("executors ran on the standalone workers").contains("Granted executor ID");
        assertThat(rows).as("every record is one row").isEqualTo(records);
    }

    /**
     * sink.max_rows_per_second: 500 with an executor on each of the two workers: no one-second sample of a replica's own
     * write count exceeds the cap by more than 10 %. With replication factor 3 every node applies every write, so one
     * node's count is the job's write rate. The first and last samples are partial seconds and are left out.
     *
     * <p>Cassandra reads each count at some moment between the asking and the answer, and on this loaded machine an
     * answer can take most of a second: timed by its answers alone, a steady 420 rows/s once showed as 154 then 871.
     * Each rate here runs from the asking of the count before to the answer of this one, the longest the writes between
     * the two counts can have taken, so no sample is above the true rate; a job that ignored the cap (thousands of
     * rows/s here) still shows far above it.
     */
    @Test
    @Order(4)
    void theWriteCapHoldsForTheWholeCluster() throws Exception {
        double cap = 500;
        int records = 8_000;
        String topic = "capped_users";
        produceUsers(topic, records);
        StreamJobProcess job = job("capped", topic, "capped", Map.of("sink.max_rows_per_second", Double.toString(cap),
                // 10,000 records a batch: two tasks (BatchWriteJob.RECORDS_PER_TASK), one on each worker
                "stream.max_offsets_per_trigger", "10000", "stream.trigger_interval", "1s"));
        List<Double> perSecond = new ArrayList<>();
        try (CqlSession session = cql()) {
            job.start();
            WriteCounter writes = new WriteCounter(session, "capped", "created_users");
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            long last = -1;
            long lastAskedNanos = 0;
            while (System.nanoTime() < deadline && job.isAlive() && written(job) < records) {
                long askedNanos = System.nanoTime();
                OptionalLong count = writes.count();
                long answeredNanos = System.nanoTime();
                if (count.isPresent()) {
                    if (last >= 0) {
                        perSecond.add((count.getAsLong() - last) / ((answeredNanos - lastAskedNanos) / 1e9));
                    }
                    last = count.getAsLong();
                    lastAskedNanos = askedNanos;
                }
                Thread.sleep(Math.max(0, 1000 - (System.nanoTime() - askedNanos) / 1_000_000));
            }
            assertThat(written(job)).as("the job wrote every record; log tail:%n%s", String.join("\n", job.logTail(30)))
                    .isEqualTo(records);
        } finally {
            job.stopGracefully(Duration.ofSeconds(60));
        }
        List<Double> writing = perSecond.stream().filter(rate -> rate > 0).toList();
        System.out.printf("ClusterIT: cap %.0f rows/s on %s with 2 workers, one-second samples of cassandra-1's write count: %s%n",
                cap, spark.masterUrl(), writing.stream().map(r -> String.format("%.0f", r)).toList());
        assertThat(writing).as("seconds with writes, at %.0f rows/s for %d rows", cap, records).hasSizeGreaterThanOrEqualTo(10);
        double peak = writing.subList(1, writing.size() - 1).stream().mapToDouble(Double::doubleValue).max().orElse(0);
        assertThat(peak).as("peak one-second write rate (partial first and last seconds left out)")
                .isLessThanOrEqualTo(cap * 1.10);
    }

    /**
     * 50,000 users from the demo API through Sluice's own ingest (throttled, idempotent producer, acks=all) while the
     * stream job runs on the standalone cluster; meanwhile one broker, one Cassandra node and one Spark worker are
     * SIGKILLed in turn and each restarted later. The one job, never restarted by hand, ends with exactly one row per
     * user, their contents as the API generated them, and no micro-batch lost or failed for good.
     */
    @Test
    @Order(5)
    void fiftyThousandRecordsSurviveAKilledBrokerCassandraNodeAndSparkWorker() throws Exception {
        long started = System.nanoTime();
        String topic = "faulted_users";
        Map<String, String> ingestSettings = new LinkedHashMap<>(jobSettings(topic, "faulted", Map.of()));
        ingestSettings.put("source.url", api.baseUrl() + "/api/?results=250");
        ingestSettings.put("source.interval", "100ms");
        ingestSettings.put("producer.records_per_second", "300");
        PipelineConfig ingestConfig = PipelineConfig.load(CLUSTER_PIPELINE, ingestSettings);
        List<String> faults = new ArrayList<>();
        StreamJobProcess job = job("faulted", topic, "faulted", Map.of("stream.trigger_interval", "2s"));
        try (IngestPipeline ingest = IngestPipeline.create(ingestConfig)) {
            ingest.start();
            job.start();
            long jobPid = job.pid();

            // Each fault lands while there is still work for the node it hits (asserted in fault()): the broker while
            // ingest still sends (at 300 records/s ingest takes about 170 s), the worker once the job has written
            // its first rows, the Cassandra node while that worker is still down; the job still has rows to write at
            // each. The job keeps up with ingest whenever nothing is down, so every fault must land while ingest
            // sends: restarting the worker first (which took up to 55 s under this load) let the job catch up with a
            // finished ingest before the Cassandra node was killed, and the fault then proved nothing.
            awaitTrue("10,000 records acked by Kafka", () -> ingest.metrics().recordsSent() >= 10_000, job);
            faults.add(fault("kafka-2", () -> stack.kill("kafka-2"), ingest, job, true, started));
            sleepSeconds(15);
            stack.restart("kafka-2");
            faults.add("kafka-2 restarted");

            awaitTrue("1,000 rows written", () -> written(job) >= 1_000, job);
            SparkWorker worker = spark.worker(1);
            List<ProcessHandle> executors = ProcessHandle.of(worker.pid().orElseThrow()).orElseThrow().children()
                    .filter(ProcessHandle::isAlive).toList();
            assertThat(executors).as("spark-worker-1 runs one of the job's executors when it is killed").isNotEmpty();
            faults.add(fault("spark-worker-1", () -> spark.kill(1), ingest, job, false, started));
            for (ProcessHandle executor : executors) {
                assertThat(executor.onExit().get(2, TimeUnit.MINUTES).isAlive()).as("its executor went with it").isFalse();
            }
            sleepSeconds(10);

            faults.add(fault("cassandra-3", () -> stack.kill("cassandra-3"), ingest, job, false, started));
            sleepSeconds(15);
            stack.restart("cassandra-3");
            faults.add("cassandra-3 restarted");
            spark.restart(1);
            faults.add("spark-worker-1 restarted");

            awaitTrue("every user acked by Kafka", () -> ingest.metrics().recordsSent() >= USERS, job);
            ingest.stop();
            awaitTrue("every record read by the stream job", () -> read(job) >= ingest.metrics().recordsSent(), job);
            faults.forEach(f -> System.out.println("ClusterIT: " + f));

            assertThat(ingest.metrics().recordsSent()).as("records Kafka acknowledged").isEqualTo(USERS);
            assertThat(ingest.metrics().distinctKeysAcked()).as("distinct users Kafka acknowledged").isEqualTo(USERS);
            assertThat(job.isAlive()).as("the one stream job is still running: nobody restarted it").isTrue();
            assertThat(job.pid()).isEqualTo(jobPid);
            List<StreamProgress> batches = job.readProgress().stream().filter(StreamProgress::isBatch).toList();
            assertThat(batches.stream().map(StreamProgress::batchId).toList()).as("every micro-batch ran once and succeeded,"
                    + " in order").isEqualTo(java.util.stream.LongStream.range(batches.get(0).batchId(),
                    batches.get(0).batchId() + batches.size()).boxed().toList());
            assertThat(read(job)).as("records the stream job read: each once").isEqualTo(USERS);
        } finally {
            job.stopGracefully(Duration.ofSeconds(60));
        }

        Set<String> expected = new HashSet<>(USERS);
        UserGenerator users = new UserGenerator(SEED);
        for (int i = 0; i < USERS; i++) {
            JsonNode user = users.user(i);
            expected.add(String.join("|", // the primary key: the name-based UUID of the Kafka key (io.sluice.stream.NameUuid)
                    UUID.nameUUIDFromBytes(user.at("/login/uuid").asText().getBytes(StandardCharsets.UTF_8)).toString(),
                    user.at("/login/username").asText(), user.at("/email").asText(),
                    user.at("/name/first").asText(), user.at("/name/last").asText()));
        }
        Set<String> actual = new HashSet<>(USERS);
        try (CqlSession session = cql()) {
            for (Row r : session.execute(SimpleStatement.newInstance("SELECT id, username, email, first_name, last_name FROM"
                    + " faulted.created_users").setPageSize(5_000).setConsistencyLevel(DefaultConsistencyLevel.LOCAL_QUORUM))) {
                actual.add(String.join("|", r.getUuid(0).toString(), r.getString(1), r.getString(2), r.getString(3),
                        r.getString(4)));
            }
        }
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        Set<String> extra = new TreeSet<>(actual);
        extra.removeAll(expected);
        System.out.printf("ClusterIT: %d rows (expected %d), %d missing, %d extra, SHA-256 %s (expected %s); test took %.0f s%n",
                actual.size(), USERS, missing.size(), extra.size(), digest(actual), digest(expected),
                (System.nanoTime() - started) / 1e9);
        assertThat(missing).as("no user is missing").isEmpty();
        assertThat(extra).as("no row is extra or has other contents").isEmpty();
        assertThat(digest(actual)).as("SHA-256 over every row equals the one of the generated users").isEqualTo(digest(expected));
        assertThat(countRows("faulted")).as("rows in the table").isEqualTo(USERS);
    }

    // ---- the stream job -----------------------------------------------------------------------------

    /** The cluster pipeline pointed at this stack, a topic and a keyspace of its own. */
    private static Map<String, String> jobSettings(String topic, String keyspace, Map<String, String> extra) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("pipeline.name", keyspace);
        settings.put("kafka.bootstrap_servers", stack.kafkaBootstrap());
        settings.put("kafka.topic", topic);
        settings.put("cassandra.contact_points", stack.cassandraContactPoints());
        settings.put("sink.keyspace", keyspace);
        settings.put("sink.max_rows_per_second", "5000");
        settings.put("stream.max_offsets_per_trigger", "5000");
        settings.put("stream.checkpoint_dir", dataDir.resolve("checkpoints/" + keyspace).toString());
        settings.putAll(extra);
        return settings;
    }

    private static StreamJobProcess job(String name, String topic, String keyspace, Map<String, String> extra) {
        Map<String, String> settings = new LinkedHashMap<>(jobSettings(topic, keyspace, extra));
        settings.put("stream.master", spark.masterUrl());
        StreamJobProcess job = new StreamJobProcess(CLUSTER_PIPELINE).withDataDir(dataDir).withName(name).withMaxHeap("768m");
        settings.forEach(job::withOverride);
        return job;
    }

    private static long written(StreamJobProcess job) {
        return job.readProgress().stream().filter(StreamProgress::isBatch).mapToLong(StreamProgress::rowsWritten).sum();
    }

    private static long read(StreamJobProcess job) {
        return job.readProgress().stream().filter(StreamProgress::isBatch).mapToLong(StreamProgress::numInputRows).sum();
    }

    /**
     * Kills a node, after checking that it still has work to disturb: a fault after the end proves nothing. The job
     * must have rows left to write; with {@code ingestRunning}, ingest must also have records left to send.
     */
    private static String fault(String node, Runnable kill, IngestPipeline ingest, StreamJobProcess job,
                                boolean ingestRunning, long started) {
        long acked = ingest.metrics().recordsSent();
        long written = written(job);
        if (ingestRunning) {
            assertThat(acked).as("%s is killed while ingest still has records to send", node).isLessThan(USERS);
        }
        assertThat(written).as("%s is killed while the job still has rows to write", node).isLessThan(USERS);
        kill.run();
        return String.format("%s SIGKILLed %.0f s in, at %,d records acked, %,d rows written", node,
                (System.nanoTime() - started) / 1e9, acked, written);
    }

    private static void awaitTrue(String what, java.util.function.BooleanSupplier condition, StreamJobProcess job)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (!condition.getAsBoolean()) {
            if (!job.isAlive()) {
                throw new AssertionError("the stream job ended while waiting for " + what + "; log tail:\n"
                        + String.join("\n", job.logTail(60)));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within 4 minutes; job log tail:\n" + String.join("\n", job.logTail(60)));
            }
            Thread.sleep(200);
        }
    }

    private static void sleepSeconds(int seconds) throws InterruptedException {
        Thread.sleep(seconds * 1000L);
    }

    /** Users from the demo API's generator straight into a topic: load for the tests that are not about ingest. */
    private static void produceUsers(String topic, int count) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        UserGenerator users = new UserGenerator(SEED);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, users.uuid(i).toString(), users.userJson(i)));
            }
            producer.flush();
        }
    }

    /**
     * Counts at LOCAL_QUORUM, the level the pipeline writes at: a node that was down when a row was written (cassandra-3
     * in the fault test) has it only once hints or repair reach it, so a LOCAL_ONE count may ask that node alone and
     * come back one short while every row is safe on the two others.
     */
    private static long countRows(String keyspace) {
        try (CqlSession session = cql()) {
            long rows = 0;
            for (Row ignored : session.execute(SimpleStatement.newInstance("SELECT id FROM " + keyspace + ".created_users")
                    .setPageSize(5_000).setConsistencyLevel(DefaultConsistencyLevel.LOCAL_QUORUM))) {
                rows++;
            }
            return rows;
        }
    }

    private static String digest(Set<String> rows) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (String row : new TreeSet<>(rows)) {
            sha.update(row.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String tail(Path log) throws Exception {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }




    private static List<Integer> replicasPerPartition(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions().stream()
                .map(p -> p.replicas().size()).toList();
    }

    private static String minInsyncReplicas(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource)
                .get("min.insync.replicas").value();
    }

    private static Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrap()));
    }

    /** Schema changes wait for three nodes to agree: more than the driver's 2 s on a busy two-core machine. */
    private static CqlSession cql() {
        return CqlSession.builder().addContactPoints(stack.cassandraContactPointList())
                .withLocalDatacenter(stack.localDatacenter())
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30))
                        .build())
                .build();
    }

    private static int port(int node) {
        return stack.cassandraNodes().get(node).port();
    }

    /** Resident memory of every node, from ps: the figure the docs quote. */
    static String rss() {
        long total = 0;
        StringBuilder each = new StringBuilder();
        for (ClusterNode node : stack.nodes()) {
            long kb = rssKb(node.pid().orElse(-1));
            total += kb;
            each.append(' ').append(node.name()).append('=').append(kb / 1024).append("MB");
        }
        return (total / 1024) + " MB in all:" + each;
    }

    private static long rssKb(long pid) {
        try {
            Process ps = new ProcessBuilder("ps", "-o", "rss=", "-p", Long.toString(pid)).start();
            String out = new String(ps.getInputStream().readAllBytes()).strip();
            ps.waitFor();
            return out.isEmpty() ? 0 : Long.parseLong(out);
        } catch (Exception e) {
            return 0;
        }
    }
}
