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
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends each record to its given partition, in order, and waits for every acknowledgement. */
    void produce(String topic, List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        try (var producer = producer()) {
            List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
            for (var r : records) {
                acks.add(producer.send(new ProducerRecord<>(topic, r.partition(), r.key(), r.value())));
            }
            for (var ack : acks) {
                ack.get();
            }
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
