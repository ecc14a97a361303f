package io.sluice.ingest;

import static io.sluice.ingest.Records.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.ingest.source.SourceRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BoundedRecordQueueTest {
    private final IngestMetrics metrics = new IngestMetrics();

    private BoundedRecordQueue queue(int capacity, OverflowPolicy policy) {
        return new BoundedRecordQueue(capacity, policy, metrics, new ManualTicker());
    }

    private static List<String> drainKeys(BoundedRecordQueue queue) throws InterruptedException {
        List<String> keys = new ArrayList<>();
        SourceRecord r;
        while ((r = queue.poll(Duration.ZERO)) != null) {
            keys.add(r.key());
        }
        return keys;
    }

    @Test
    void blockRefusesWithoutWaitingRoomAndNeverDrops() throws InterruptedException {
        BoundedRecordQueue queue = queue(2, OverflowPolicy.BLOCK);
        queue.put(record(1));
        queue.put(record(2));

        assertThat(queue.offer(record(3), Duration.ZERO)).as("a full blocking queue refuses a record it cannot wait for").isFalse();
        assertThat(drainKeys(queue)).as("a refused record leaves the queue as it was").containsExactly("key-1", "key-2");
        assertThat(metrics.snapshot().droppedTotal()).as("blocking never drops").isZero();
    }

    @Test
    void blockWaitsUntilTheSenderTakesARecord() throws Exception {
        BoundedRecordQueue queue = queue(1, OverflowPolicy.BLOCK);
        queue.put(record(1));
        Thread putter = new Thread(() -> {
            try {
                queue.put(record(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        putter.start();
        awaitParked(putter);

        assertThat(putter.isAlive()).as("put on a full blocking queue waits").isTrue();
        assertThat(queue.size()).isEqualTo(1);

        assertThat(queue.poll(Duration.ZERO).key()).isEqualTo("key-1");
        putter.join(TimeUnit.SECONDS.toMillis(10));

        assertThat(putter.isAlive()).as("the waiting put completes once a slot frees").isFalse();
        assertThat(drainKeys(queue)).containsExactly("key-2");
    }

    @Test
    void dropOldestKeepsTheNewestAndCountsEveryDrop() throws InterruptedException {
        BoundedRecordQueue queue = queue(3, OverflowPolicy.DROP_OLDEST);
        for (int i = 1; i <= 5; i++) {
            assertThat(queue.offer(record(i), Duration.ZERO)).as("drop_oldest always accepts the new record").isTrue();
        }

        assertThat(drainKeys(queue)).containsExactly("key-3", "key-4", "key-5");
        assertThat(metrics.snapshot().dropped()).as("two records were pushed out of a queue of three")
                .containsEntry(DropReason.QUEUE_FULL, 2L);
    }

    @Test
    void failThrowsATypedExceptionNamingTheKeyToChange() throws InterruptedException {
        BoundedRecordQueue queue = queue(2, OverflowPolicy.FAIL);
        queue.put(record(1));
        queue.put(record(2));

        assertThatThrownBy(() -> queue.put(record(3)))
                .isInstanceOf(QueueOverflowException.class)
                .hasMessageContaining("`producer.overflow` is `fail`")
                .hasMessageContaining("2 records");
        assertThat(drainKeys(queue)).as("fail keeps what was queued").containsExactly("key-1", "key-2");
    }

    @Test
    void discardAllCountsWhatWasLeft() throws InterruptedException {
        BoundedRecordQueue queue = queue(5, OverflowPolicy.BLOCK);
        queue.put(record(1));
        queue.put(record(2));

        assertThat(queue.discardAll(DropReason.SHUTDOWN_DEADLINE)).isEqualTo(2);
        assertThat(queue.size()).isZero();
        assertThat(metrics.snapshot().dropped()).containsEntry(DropReason.SHUTDOWN_DEADLINE, 2L);
    }

    @Test
    void pollOnAnEmptyQueueReturnsNullAfterTheTimeout() throws InterruptedException {
        assertThat(queue(1, OverflowPolicy.BLOCK).poll(Duration.ofMillis(1))).isNull();
    }

    @Test
    void overflowPolicyParsesConfigValues() {
        assertThat(OverflowPolicy.fromConfig("drop_oldest")).isEqualTo(OverflowPolicy.DROP_OLDEST);
        assertThat(OverflowPolicy.fromConfig("block")).isEqualTo(OverflowPolicy.BLOCK);
        assertThat(OverflowPolicy.fromConfig("fail")).isEqualTo(OverflowPolicy.FAIL);
    }

    /** Waits (without a timing assertion) until the thread parks on the queue's condition. */
    private static void awaitParked(Thread thread) throws Exception {
        CompletableFuture.runAsync(() -> {
            while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
                Thread.onSpinWait();
            }
        }).get(10, TimeUnit.SECONDS);
    }
}
