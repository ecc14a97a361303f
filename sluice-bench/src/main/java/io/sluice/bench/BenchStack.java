package io.sluice.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.sluice.stack.LocalStack;
import io.sluice.stack.Ports;
import io.sluice.stack.SluiceHome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;

/**
 * The embedded stack for one benchmark run: real Kafka and Cassandra on free ports under a private data dir, so a
 * user's own {@code sluice up} stack (default ports) is never touched, plus the clients the stages share.
 */
final class BenchStack implements AutoCloseable {

    static final String KEYSPACE = "sluice_bench";

    private final LocalStack stack;
    private CqlSession session;
    private Admin admin;

    private BenchStack(LocalStack stack) {
        this.stack = stack;
    }

    static BenchStack start(Path home, Path dataDir) {
        LocalStack stack = new LocalStack()
                .withSluiceHome(SluiceHome.at(home))
                .withDataDir(dataDir)
                .withKafkaPort(Ports.findFree())
                .withKafkaControllerPort(Ports.findFree())
                .withCassandraPort(Ports.findFree())
                .withCassandraStoragePort(Ports.findFree());
        stack.cassandra().withJmxPort(Ports.findFree()); // for QuietNode's flush
        BenchStack bench = new BenchStack(stack);
        try {
            stack.start();
            bench.session = openSession(stack);
            bench.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
            bench.session.execute("CREATE KEYSPACE IF NOT EXISTS " + KEYSPACE
                    + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            return bench;
        } catch (RuntimeException e) {
            bench.close();
            throw e;
        }
    }

    LocalStack stack() {
        return stack;
    }

    CqlSession session() {
        return session;
    }

    Admin admin() {
        return admin;
    }

    String bootstrapServers() {
        return stack.bootstrapServers();
    }

    /** {@code host:port}, as the pipeline's {@code cassandra.contact_points} takes it. */
    String cassandraAddress() {
        return stack.cassandra().address();
    }

    long kafkaPid() {
        return stack.kafka().pid().orElse(-1);
    }

    long cassandraPid() {
        return stack.cassandra().pid().orElse(-1);
    }

    void createTopic(String topic, int partitions) {
        try {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
            awaitServed(topic, partitions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create Kafka topic " + topic + ": " + e.getCause().getMessage(), e);
        }
    }

    /**
     * Until the broker serves each new partition, an idempotent producer's first batch can be refused and its second
     * accepted: then the first fails with OutOfOrderSequenceException (KAFKA-15591). A ListOffsets at each partition's
     * leader, asked again while the broker answers "unknown topic" or "not leader", waits for that (as
     * TopicProvisioner does for ingest).
     */
    private void awaitServed(String topic, int partitions) throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                admin.listOffsets(latest).all().get();
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /** Flushes the bench keyspace and waits until Cassandra compacts nothing ({@link QuietNode}). */
    Duration settle(Duration timeout) {
        return new QuietNode(stack.cassandra().jmxPort(), KEYSPACE, session).settle(timeout);
    }

    /** A table shaped like the demo pipeline's: {@code id uuid} primary key plus the text columns. */
    void createTable(String table, List<String> columns) {
        StringBuilder cql = new StringBuilder("CREATE TABLE IF NOT EXISTS " + KEYSPACE + "." + table + " (id uuid PRIMARY KEY");
        columns.forEach(c -> cql.append(", ").append(c).append(" text"));
        session.execute(cql.append(")").toString());
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (session != null) {
            session.close();
        }
        stack.close();
    }

    private static CqlSession openSession(LocalStack stack) {
        // Counting and reading back 200k rows needs longer than the driver's 2 s default; 1024 requests per
        // connection leaves room for the ceiling's 512 in flight plus the probe loop.
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                .withInt(DefaultDriverOption.CONNECTION_MAX_REQUESTS, 2048)
                .withInt(DefaultDriverOption.CONNECTION_POOL_LOCAL_SIZE, 2)
                // count(*) over a whole table is what we mean to do; Cassandra's warning about it is noise here.
                .withBoolean(DefaultDriverOption.REQUEST_LOG_WARNINGS, false)
                .build();
        return CqlSession.builder()
                .withConfigLoader(config)
                .addContactPoint(stack.contactPoint())
                .withLocalDatacenter(stack.localDatacenter())
                .build();
    }
}
