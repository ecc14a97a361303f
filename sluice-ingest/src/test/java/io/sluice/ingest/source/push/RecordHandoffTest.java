package io.sluice.ingest.source.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.SourceRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RecordHandoffTest {
    private static List<SourceRecord> batch(int from, int count) {
        return IntStream.range(from, from + count)
                .mapToObj(i -> new SourceRecord("k" + i, new byte[0], SourcePosition.of(Integer.toString(i))))
                .toList();
    }

    private static List<String> keys(List<SourceRecord> records) {
        return records.stream().map(SourceRecord::key).toList();
    }

    @Test
    void putThenRunsTheCallbackAtOnceWhileThereIsRoom() throws InterruptedException {
        RecordHandoff handoff = new RecordHandoff(4, 100);
        List<String> asked = new ArrayList<>();
        handoff.putThen(batch(0, 2), () -> asked.add("next"));
        assertThat(asked).as("room left: the next message is requested at once").containsExactly("next");
        assertThat(keys(handoff.drain(Duration.ZERO))).containsExactly("k0", "k1");
    }

    @Test
    void fullHandoffParksTheBatchAndRequestsMoreOnlyAfterADrain() throws InterruptedException {
        RecordHandoff handoff = new RecordHandoff(2, 100);
        List<String> asked = new ArrayList<>();
        handoff.putThen(batch(0, 2), () -> asked.add("after 0-1"));
        handoff.putThen(batch(2, 1), () -> asked.add("after 2"));
        assertThat(asked).as("a full buffer must not ask the server for more").containsExactly("after 0-1");
        assertThat(handoff.size()).isEqualTo(2);

        assertThat(keys(handoff.drain(Duration.ZERO))).containsExactly("k0", "k1");
        assertThat(asked).as("draining made room, so the parked batch went in and demand resumed")
                .containsExactly("after 0-1", "after 2");
        assertThat(keys(handoff.drain(Duration.ZERO))).containsExactly("k2");
    }

    @Test
    void whenParkedRunsOnlyForABatchThatWaitsAndBeforeItsCallback() throws InterruptedException {
        RecordHandoff handoff = new RecordHandoff(1, 100);
        List<String> events = new ArrayList<>();
        handoff.putThen(batch(0, 1), () -> events.add("parked 0"), () -> events.add("in 0"));
        handoff.putThen(List.of(), () -> events.add("parked heartbeat"), () -> events.add("in heartbeat"));
        assertThat(events).as("an empty batch (a heartbeat) waits behind a full buffer like any other")
                .containsExactly("in 0", "parked heartbeat");

        handoff.drain(Duration.ZERO);
        assertThat(events).containsExactly("in 0", "parked heartbeat", "in heartbeat");
    }

    @Test
    void parkedBatchesKeepTheirOrderBehindLaterPuts() throws InterruptedException {
        RecordHandoff handoff = new RecordHandoff(1, 100);
        handoff.putThen(batch(0, 1), () -> { });
        handoff.putThen(batch(1, 1), () -> { });
        handoff.putThen(batch(2, 1), () -> { });
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            all.addAll(keys(handoff.drain(Duration.ZERO)));
        }
        assertThat(all).containsExactly("k0", "k1", "k2");
    }

    @Test
    void aBatchLargerThanTheCapacityStillGetsThrough() throws InterruptedException {
        RecordHandoff handoff = new RecordHandoff(2, 100);
        assertThat(handoff.put(batch(0, 5))).isTrue();
        assertThat(handoff.drain(Duration.ZERO)).hasSize(5);
    }

    @Test
    void drainReturnsAtMostMaxDrain() throws InterruptedException {
        RecordHandoff handoff = new RecordHandoff(10, 3);
        handoff.put(batch(0, 5));
        assertThat(keys(handoff.drain(Duration.ZERO))).containsExactly("k0", "k1", "k2");
        assertThat(keys(handoff.drain(Duration.ZERO))).containsExactly("k3", "k4");
    }

    @Test
    void blockingPutWaitsForRoomAndIsReleasedByADrain() throws Exception {
        RecordHandoff handoff = new RecordHandoff(1, 100);
        handoff.put(batch(0, 1));
        CountDownLatch putDone = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            handoff.put(batch(1, 1));
            putDone.countDown();
        });
        reader.start();
        assertThat(putDone.await(50, TimeUnit.MILLISECONDS)).as("a full buffer holds the reader back").isFalse();
        assertThat(keys(handoff.drain(Duration.ZERO))).containsExactly("k0");
        assertThat(putDone.await(10, TimeUnit.SECONDS)).as("a drain releases the reader").isTrue();
        assertThat(keys(handoff.drain(Duration.ZERO))).containsExactly("k1");
        reader.join();
    }

    @Test
    void interruptDoesNotBreakAPutHalfWay() throws Exception {
        RecordHandoff handoff = new RecordHandoff(1, 100);
        handoff.put(batch(0, 1));
        boolean[] interruptKept = new boolean[1];
        Thread reader = new Thread(() -> {
            handoff.put(batch(1, 2));
            interruptKept[0] = Thread.currentThread().isInterrupted();
        });
        reader.start();
        reader.interrupt();
        handoff.drain(Duration.ZERO);
        reader.join(10_000);
        assertThat(keys(handoff.drain(Duration.ZERO))).as("the whole batch went in despite the interrupt")
                .containsExactly("k1", "k2");
        assertThat(interruptKept[0]).as("the interrupt stays pending for the reader's next read").isTrue();
    }

    @Test
    void closeReleasesWaitersAndDropsParkedBatches() throws Exception {
        RecordHandoff handoff = new RecordHandoff(1, 100);
        handoff.put(batch(0, 1));
        List<String> asked = new ArrayList<>();
        handoff.putThen(batch(1, 1), () -> asked.add("next"));
        Thread reader = new Thread(() -> handoff.put(batch(2, 1)));
        reader.start();
        handoff.close();
        reader.join(10_000);
        assertThat(reader.isAlive()).as("close releases a reader waiting for room").isFalse();
        assertThat(keys(handoff.drain(Duration.ofSeconds(10)))).containsExactly("k0");
        assertThat(asked).as("no demand after close").isEmpty();
        assertThat(handoff.drain(Duration.ofSeconds(10))).as("a closed, empty handoff returns at once").isEmpty();
    }
}
