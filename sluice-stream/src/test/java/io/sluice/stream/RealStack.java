package io.sluice.stream;

import com.datastax.oss.driver.api.core.CqlSession;
import io.sluice.stack.LocalStack;
import io.sluice.stack.Ports;
import io.sluice.stream.launch.StreamJobProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Real Kafka and Cassandra (child JVMs from sluice-stack) on free ports, with the clients an IT needs; one per test class. */
final class RealStack implements AutoCloseable {
    final LocalStack stack;
    final Admin admin;
    final CqlSession cql;

    RealStack(Path dir) {
        stack = new LocalStack().withDataDir(dir.resolve("stack"))
                .withKafkaPort(Ports.findFree()).withKafkaControllerPort(Ports.findFree())
                .withCassandraPort(Ports.findFree()).withCassandraStoragePort(Ports.findFree())
                .start();
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        admin = Admin.create(props);
        cql = CqlSession.builder().addContactPoint(stack.contactPoint())
                .withLocalDatacenter(stack.localDatacenter()).build();
    }

    void createTopic(String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }

    KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "1000000");
        // A stuck batch fails after 30 s (not 120 s) and is sent again by produce().
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Sends each record to its given partition and waits for every acknowledgement. On a broker that has just
     * started, a batch for a brand-new partition was seen to expire unsent ("Expiring 24 record(s)"), which once
     * showed up only later as 24 rows missing from a table. So: wait until every partition has a leader, and send
     * what expired again (an expired batch was never written); fail loudly if it still does not go.
     */
    void produce(String topic, List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        awaitLeaders(topic);
        List<ProducerRecord<byte[], byte[]>> pending = records;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            List<ProducerRecord<byte[], byte[]>> failed = new ArrayList<>();
            Exception lastError = null;
            try (var producer = producer()) {
                List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
                for (var r : pending) {
                    acks.add(producer.send(new ProducerRecord<>(topic, r.partition(), r.key(), r.value())));
                }
                for (int i = 0; i < acks.size(); i++) {
                    try {
                        acks.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException e) {
                        failed.add(pending.get(i));
                        lastError = e;
                    }
                }
            }
            if (!failed.isEmpty()) {
                System.out.printf("[RealStack] attempt %d: %d of %d records to %s not acknowledged (%s); sending them again%n",
                        attempt, failed.size(), pending.size(), topic, lastError.getCause());
                if (attempt >= 3) {
                    throw new IllegalStateException(failed.size() + " records to " + topic
                            + " still not acknowledged after " + attempt + " attempts", lastError);
                }
            }
            pending = failed;
        }
    }

    private void awaitLeaders(String topic) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            var description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            if (description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic + " has partitions without a leader after 30 s: " + description);
            }
            Thread.sleep(100);
        }
    }

    /** Every record of a topic, from the beginning, until {@code expected} have arrived or 60 s pass. */
    List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
            // One more short poll: more than expected must show up as a failure, not be missed.
            consumer.poll(Duration.ofSeconds(2)).forEach(out::add);
        }
        return out;
    }

    StreamJobProcess job(Path pipeline, String name, Path dataDir) {
        return new StreamJobProcess(pipeline).withName(name).withDataDir(dataDir)
                .withOverride("kafka.bootstrap_servers", stack.bootstrapServers())
                .withOverride("cassandra.contact_points", "127.0.0.1:" + stack.contactPoint().getPort())
                .withOverride("sink.consistency", "ONE")
                // The demo pipeline paces writes at 200 rows/s; these tests check what is written, not the pace.
                .withOverride("sink.max_rows_per_second", "1000000");
    }

    static int runToEnd(StreamJobProcess job, Duration timeout) throws InterruptedException {
        job.start();
        var exit = job.waitFor(timeout);
        if (exit.isEmpty()) {
            job.stopGracefully(Duration.ofSeconds(30));
            throw new AssertionError("the stream job did not finish within " + timeout + "; log tail:\n"
                    + String.join("\n", job.logTail(60)));
        }
        return exit.getAsInt();
    }

    static void awaitTrue(String what, Duration timeout, StreamJobProcess job, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!job.isAlive()) {
                throw new AssertionError("the stream job exited (" + job.exitCode() + ") while waiting for " + what
                        + "; log tail:\n" + String.join("\n", job.logTail(60)));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for " + what + " after " + timeout + "; log tail:\n"
                        + String.join("\n", job.logTail(60)));
            }
            Thread.sleep(300);
        }
    }

    @Override
    public void close() {
        if (cql != null) {
            cql.close();
        }
        if (admin != null) {
            admin.close();
        }
        stack.close();
    }
}
