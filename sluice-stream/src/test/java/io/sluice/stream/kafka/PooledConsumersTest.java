package io.sluice.stream.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The consumer pool of an executor JVM, with Kafka's MockConsumer in a real consumer's place. The pool is static (one
 * per JVM), so each test uses settings of its own (a group id nobody else uses) and checks only its own consumers.
 */
class PooledConsumersTest {
    private static final TopicPartition PARTITION = new TopicPartition("pooled", 0);

    @Test
    void aConsumerGivenBackIsLentAgainForTheSameSettingsAndPartition() {
        Map<String, Object> settings = settings();
        PooledConsumers.Lease lease = lease(settings, PARTITION);
        PooledConsumers.giveBack(lease);

        assertThat(PooledConsumers.borrow(settings, PARTITION)).isSameAs(lease);
    }

    @Test
    void aConsumerIsNotSharedWithOtherSettingsOrAnotherPartition() {
        Map<String, Object> settings = settings();
        PooledConsumers.Lease lease = lease(settings, PARTITION);
        PooledConsumers.giveBack(lease);

        // Another query's settings (its own group id) or another partition get a consumer of their own: a real one
        // here, which is only made and assigned (no broker is asked until it polls), then closed.
        PooledConsumers.Lease other = PooledConsumers.borrow(settings(), PARTITION);
        PooledConsumers.Lease otherPartition = PooledConsumers.borrow(settings, new TopicPartition("pooled", 1));
        try {
            assertThat(other).isNotSameAs(lease);
            assertThat(otherPartition).isNotSameAs(lease);
            assertThat(PooledConsumers.borrow(settings, PARTITION)).isSameAs(lease);
        } finally {
            PooledConsumers.close(other);
            PooledConsumers.close(otherPartition);
        }
    }

    @Test
    void aConsumerIdleLongerThanTheTimeoutIsClosedAndNotLentAgain() {
        Map<String, Object> settings = settings();
        PooledConsumers.Lease lease = lease(settings, PARTITION);
        MockConsumer<byte[], ByteBuffer> consumer = (MockConsumer<byte[], ByteBuffer>) lease.consumer;
        PooledConsumers.giveBack(lease);
        long givenBack = System.nanoTime();

        PooledConsumers.closeIdle(givenBack + PooledConsumers.IDLE_TIMEOUT.toNanos() / 2);
        assertThat(consumer.closed()).as("idle for half the timeout").isFalse();

        PooledConsumers.closeIdle(givenBack + PooledConsumers.IDLE_TIMEOUT.toNanos() + 1_000_000_000L);
        assertThat(consumer.closed()).as("idle for longer than the timeout").isTrue();
        PooledConsumers.Lease next = PooledConsumers.borrow(settings, PARTITION);
        try {
            assertThat(next).isNotSameAs(lease);
        } finally {
            PooledConsumers.close(next);
        }
    }

    @Test
    void closingAConsumerThatFailsToCloseDoesNotThrow() {
        MockConsumer<byte[], ByteBuffer> consumer = new MockConsumer<>(OffsetResetStrategy.NONE) {
            @Override
            public synchronized void close(java.time.Duration timeout) {
                throw new IllegalStateException("interrupted");
            }
        };
        assertThatCode(() -> PooledConsumers.close(new PooledConsumers.Lease(settings(), PARTITION, consumer)))
                .doesNotThrowAnyException();
    }

    private static Map<String, Object> settings() {
        return Map.of("bootstrap.servers", "127.0.0.1:1", "group.id", "pooled-" + UUID.randomUUID(),
                "key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer",
                "value.deserializer", "org.apache.kafka.common.serialization.ByteBufferDeserializer");
    }

    private static PooledConsumers.Lease lease(Map<String, Object> settings, TopicPartition partition) {
        MockConsumer<byte[], ByteBuffer> consumer = new MockConsumer<>(OffsetResetStrategy.NONE);
        consumer.assign(List.of(partition));
        return new PooledConsumers.Lease(settings, partition, consumer);
    }
}
