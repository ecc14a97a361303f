package io.sluice.stream.kafka;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka consumers of one executor JVM, each assigned to one partition and kept between micro-batches, as Spark's own
 * Kafka reader keeps its consumers: a consumer costs a connection, a metadata round trip and a fetch session, which
 * at the pipeline's default batch of 1,000 records would be a good part of the batch. A consumer left idle longer than
 * {@link #IDLE_TIMEOUT} (a stopped query's, or a partition that moved to another executor) is closed.
 */
final class PooledConsumers {
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(PooledConsumers.class);
    private static final ConcurrentHashMap<Key, ConcurrentLinkedQueue<Lease>> IDLE = new ConcurrentHashMap<>();

    /** Consumers are shared only between reads with the same client settings (a query's own group id among them). */
    private record Key(Map<String, Object> settings, TopicPartition partition) {
    }

    /**
     * A consumer assigned to one partition, and where the last read left it: a read that starts there takes the records
     * already polled past the last range's end and the consumer's prefetch, instead of seeking and fetching them again.
     */
    static final class Lease {
        private final Key key;
        final Consumer<byte[], ByteBuffer> consumer;
        /** The next offset this lease yields (from {@link #carried}, then the consumer); -1 when unknown. */
        long position = -1;
        /** Records polled beyond the last range, from {@link #position} on. */
        Iterator<ConsumerRecord<byte[], ByteBuffer>> carried = Collections.emptyIterator();
        private long idleSinceNanos;

        /** A lease of {@code consumer}, already assigned to {@code partition} (tests lease a MockConsumer). */
        Lease(Map<String, Object> settings, TopicPartition partition, Consumer<byte[], ByteBuffer> consumer) {
            this.key = new Key(settings, partition);
            this.consumer = consumer;
        }
    }

    private PooledConsumers() {
    }

    /** An idle consumer for {@code partition} with these settings, or a new one assigned to it. */
    static Lease borrow(Map<String, Object> settings, TopicPartition partition) {
        closeIdle(System.nanoTime());
        Key key = new Key(settings, partition);
        Lease lease = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).poll();
        if (lease != null) {
            return lease;
        }
        KafkaConsumer<byte[], ByteBuffer> consumer = new KafkaConsumer<>(settings);
        consumer.assign(List.of(partition));
        return new Lease(settings, partition, consumer);
    }

    /** Back to the pool after a read that ended cleanly; a consumer whose read failed is closed instead. */
    static void giveBack(Lease lease) {
        lease.idleSinceNanos = System.nanoTime();
        IDLE.computeIfAbsent(lease.key, k -> new ConcurrentLinkedQueue<>()).offer(lease);
    }

    /** Closes a consumer without waiting; a failure to close (an interrupted task) must not hide why it is closed. */
    static void close(Lease lease) {
        try {
            lease.consumer.close(Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.debug("closing a Kafka consumer of {} failed", lease.key.partition(), e);
        }
    }

    /** Closes the consumers idle longer than {@link #IDLE_TIMEOUT} at {@code now} ({@link System#nanoTime}). */
    static void closeIdle(long now) {
        for (ConcurrentLinkedQueue<Lease> idle : IDLE.values()) {
            for (Lease lease : idle) {
                // remove() is true only for the thread that took it out, so a consumer being borrowed is not closed
                if (now - lease.idleSinceNanos > IDLE_TIMEOUT.toNanos() && idle.remove(lease)) {
                    close(lease);
                }
            }
        }
    }

    /** Idle consumers now (for tests). */
    static int idle() {
        return IDLE.values().stream().mapToInt(ConcurrentLinkedQueue::size).sum();
    }
}
