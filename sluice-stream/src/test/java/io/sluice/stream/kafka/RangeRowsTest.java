package io.sluice.stream.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.catalyst.InternalRow;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How one range is read from a consumer, with Kafka's MockConsumer in the broker's place: the answers a broker gives
 * rarely (out of range, gaps, nothing visible) are given here on purpose. KafkaBatchReadsIT reads from a real broker.
 */
class RangeRowsTest {
    private static final TopicPartition PARTITION = new TopicPartition("t", 0);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    private MockConsumer<byte[], ByteBuffer> consumer;

    @BeforeEach
    void assign() {
        consumer = new MockConsumer<>(OffsetResetStrategy.NONE);
        consumer.assign(List.of(PARTITION));
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
    }

    @Test
    void readsEveryOffsetOfTheRangeAndNoneBeyondIt() {
        addRecords(0, 10);

        assertThat(read(lease(), 2, 7, true)).containsExactly(2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void offsetsWithoutARecordThatAreStillInTheLogAreSkipped() {
        addRecords(0, 3);
        addRecords(5, 8); // 3 and 4 compacted away, or a transaction's marker and an aborted record

        assertThat(read(lease(), 0, 8, true)).containsExactly(0L, 1L, 2L, 5L, 6L, 7L);
    }

    @Test
    void anOutOfRangeAnswerForAnOffsetStillInTheLogIsReadAgain() {
        addRecords(0, 10);
        consumer.setPollException(new OffsetOutOfRangeException("a fetch that raced a new leader",
                Map.of(PARTITION, 0L)));

        assertThat(read(lease(), 0, 10, true)).as("nothing skipped, nothing failed").hasSize(10).first()
                .isEqualTo(0L);
    }

    @Test
    void recordsThatLeftTheLogFailTheReadOrAreSkippedWhenFailOnDataLossIsOff() {
        addRecords(60, 100);
        consumer.updateBeginningOffsets(Map.of(PARTITION, 60L)); // retention removed [0, 60)

        assertThatThrownBy(() -> read(lease(), 0, 100, true)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("offsets [0, 60) of t-0").hasMessageContaining("retention.ms");
        assign(); // a consumer whose read failed is closed, not pooled
        addRecords(60, 100);
        consumer.updateBeginningOffsets(Map.of(PARTITION, 60L));
        List<Long> rest = read(lease(), 0, 100, false);
        assertThat(rest).hasSize(40).first().isEqualTo(60L);
    }

    @Test
    void offsetsWithNothingVisibleAtTheEndOfTheRangeEndItWithoutWaitingForItsTimeout() {
        addRecords(0, 3);
        // the consumer moves past offsets 3..5 (a transaction's markers) and returns no record for them
        consumer.schedulePollTask(() -> { });
        consumer.schedulePollTask(() -> consumer.seek(PARTITION, 6));

        long started = System.nanoTime();
        assertThat(read(lease(), 0, 6, true)).containsExactly(0L, 1L, 2L);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(POLL_TIMEOUT);
    }

    @Test
    void aRangeWhoseRecordsNeverComeFailsAfterThePollTimeoutNamingTheSetting() {
        addRecords(0, 2);

        assertThatThrownBy(() -> read(lease(), 0, 5, true)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at offset 2").hasMessageContaining("kafkaConsumer.pollTimeoutMs");
    }

    @Test
    void theNextRangeTakesTheRecordsAlreadyPolledPastTheLastOne() {
        addRecords(0, 10); // one poll returns all ten; the mock hands each record out once
        PooledConsumers.Lease lease = lease();

        assertThat(read(lease, 0, 4, true)).containsExactly(0L, 1L, 2L, 3L);
        assertThat(lease.position).isEqualTo(4);
        assertThat(read(lease, 4, 10, true)).as("from what the first read polled, without a seek or a new fetch")
                .containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void aRangeThatStartsElsewhereSeeksToItsStart() {
        addRecords(0, 10);
        PooledConsumers.Lease lease = lease();
        assertThat(read(lease, 0, 4, true)).containsExactly(0L, 1L, 2L, 3L);
        addRecords(0, 10); // the broker still has them; a seek back must fetch them again

        assertThat(read(lease, 1, 3, true)).containsExactly(1L, 2L);
    }

    @Test
    void eachRowCarriesTheRecordsColumnsAndItsValueAsText() {
        consumer.addRecord(new ConsumerRecord<>("t", 0, 0, 1_700L, org.apache.kafka.common.record.TimestampType
                .CREATE_TIME, 0, 0, "k".getBytes(StandardCharsets.UTF_8),
                ByteBuffer.wrap("xx{\"a\":1}".getBytes(StandardCharsets.UTF_8), 2, 7).slice(), new
                org.apache.kafka.common.header.internals.RecordHeaders(), java.util.Optional.empty()));
        consumer.addRecord(new ConsumerRecord<>("t", 0, 1, null, null));

        try (RangeRows rows = new RangeRows(lease(), new OffsetRange("t", 0, 0, 2, null), POLL_TIMEOUT, true)) {
            InternalRow first = rows.next();
            assertThat(first.getBinary(RangeRows.KEY)).containsExactly('k');
            assertThat(first.getUTF8String(RangeRows.VALUE).toString()).isEqualTo("{\"a\":1}");
            assertThat(first.getUTF8String(RangeRows.TOPIC).toString()).isEqualTo("t");
            assertThat(first.getInt(RangeRows.PARTITION)).isZero();
            assertThat(first.getLong(RangeRows.TIMESTAMP)).as("Spark's timestamps are in µs").isEqualTo(1_700_000L);
            InternalRow second = rows.next();
            assertThat(second.getLong(RangeRows.OFFSET)).isEqualTo(1);
            assertThat(second.isNullAt(RangeRows.KEY)).isTrue();
            assertThat(second.isNullAt(RangeRows.VALUE)).isTrue();
            assertThat(rows.hasNext()).isFalse();
        }
    }

    private PooledConsumers.Lease lease() {
        return new PooledConsumers.Lease(Map.of("test", getClass().getName()), PARTITION, consumer);
    }

    private void addRecords(long from, long until) {
        for (long offset = from; offset < until; offset++) {
            consumer.addRecord(new ConsumerRecord<>("t", 0, offset, null,
                    ByteBuffer.wrap(("r" + offset).getBytes(StandardCharsets.UTF_8))));
        }
    }

    /** The offsets read from {@code [from, until)}; the lease stays usable for the next range when the read ends. */
    private static List<Long> read(PooledConsumers.Lease lease, long from, long until, boolean failOnDataLoss) {
        List<Long> offsets = new ArrayList<>();
        RangeRows rows = new RangeRows(lease, new OffsetRange("t", 0, from, until, null), POLL_TIMEOUT,
                failOnDataLoss);
        try {
            while (rows.hasNext()) {
                offsets.add(rows.next().getLong(RangeRows.OFFSET));
            }
        } finally {
            rows.close();
        }
        return offsets;
    }
}
