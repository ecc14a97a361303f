package io.sluice.stream.kafka;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.SpecificInternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The records of one {@link OffsetRange} as rows of Spark's Kafka source ({@code key, value, topic, partition, offset,
 * timestamp, timestampType}), with {@code value} typed as text over the record's own bytes: no copy into a row of its
 * own, as Spark's reader makes, and no copy out of it again for the parse. The row is reused for each record.
 *
 * <p>What Spark's reader promises, this one keeps: every offset of the range is read or accounted for. Offsets with no
 * visible record (transaction markers, aborted records under {@code read_committed}, records removed by compaction)
 * are skipped; records that left the log before they were read (retention) fail the read when
 * {@code failOnDataLoss} is on (Spark's default, and Sluice's), and are logged and skipped when it is off.
 */
final class RangeRows implements Iterator<InternalRow>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RangeRows.class);
    static final int KEY = 0;
    static final int VALUE = 1;
    static final int TOPIC = 2;
    static final int PARTITION = 3;
    static final int OFFSET = 4;
    static final int TIMESTAMP = 5;
    static final int TIMESTAMP_TYPE = 6;
    private static final List<DataType> TYPES = List.of(DataTypes.BinaryType, DataTypes.StringType,
            DataTypes.StringType, DataTypes.IntegerType, DataTypes.LongType, DataTypes.TimestampType,
            DataTypes.IntegerType);

    /** One poll's wait when nothing comes (a poll with records returns as soon as they are there). */
    private static final Duration SHORT_POLL = Duration.ofMillis(100);

    private final OffsetRange range;
    private final TopicPartition partition;
    private final Duration pollTimeout;
    private final boolean failOnDataLoss;
    private final SpecificInternalRow row = new SpecificInternalRow(CollectionConverters.asScala(TYPES).toSeq());
    private PooledConsumers.Lease lease;
    /** The next offset of the range to account for. */
    private long next;
    private Iterator<ConsumerRecord<byte[], ByteBuffer>> polled = Collections.emptyIterator();
    private ConsumerRecord<byte[], ByteBuffer> pending;
    /** The first record polled past the range's end, if any. */
    private ConsumerRecord<byte[], ByteBuffer> carried;

    RangeRows(PooledConsumers.Lease lease, OffsetRange range, Duration pollTimeout, boolean failOnDataLoss) {
        this.lease = lease;
        this.range = range;
        this.partition = range.topicPartition();
        this.pollTimeout = pollTimeout;
        this.failOnDataLoss = failOnDataLoss;
        this.next = range.from();
        row.update(TOPIC, UTF8String.fromString(range.topic()));
        row.setInt(PARTITION, range.partition());
        if (lease.position == range.from()) {
            polled = lease.carried;
        } else {
            lease.consumer.seek(partition, range.from());
        }
    }

    @Override
    public boolean hasNext() {
        while (pending == null && next < range.until()) {
            if (polled.hasNext()) {
                accept(polled.next());
            } else {
                poll();
            }
        }
        return pending != null;
    }

    @Override
    public InternalRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException(range.toString());
        }
        ConsumerRecord<byte[], ByteBuffer> record = pending;
        pending = null;
        if (record.key() == null) {
            row.setNullAt(KEY);
        } else {
            row.update(KEY, record.key());
        }
        ByteBuffer value = record.value();
        if (value == null) {
            row.setNullAt(VALUE);
        } else if (value.hasArray()) { // the record's bytes where the consumer left them, read in place
            row.update(VALUE, UTF8String.fromAddress(value.array(),
                    Platform.BYTE_ARRAY_OFFSET + value.arrayOffset() + value.position(), value.remaining()));
        } else { // a read-only or direct buffer: no array to read in place
            byte[] bytes = new byte[value.remaining()];
            value.duplicate().get(bytes);
            row.update(VALUE, UTF8String.fromBytes(bytes));
        }
        row.setLong(OFFSET, record.offset());
        row.setLong(TIMESTAMP, Math.multiplyExact(record.timestamp(), 1000L));
        row.setInt(TIMESTAMP_TYPE, record.timestampType().id);
        return row;
    }

    private void accept(ConsumerRecord<byte[], ByteBuffer> record) {
        long offset = record.offset();
        if (offset < next) {
            return; // already accounted for
        }
        if (offset >= range.until()) { // the next batch's: kept with the consumer for it
            carried = record;
            next = range.until();
            return;
        }
        if (offset > next) {
            skipped(next, offset);
        }
        pending = record;
        next = offset + 1;
    }

    /**
     * The next records, or {@link #next} moved past offsets that have none. Polls are short: a fetch of only offsets
     * without a visible record (a transaction's marker at the end of the log) moves the consumer on but returns
     * nothing, and one long poll would wait out its whole timeout for records that will never come.
     */
    private void poll() {
        long deadline = System.nanoTime() + pollTimeout.toNanos();
        while (true) {
            List<ConsumerRecord<byte[], ByteBuffer>> records;
            try {
                records = lease.consumer.poll(SHORT_POLL).records(partition);
            } catch (OffsetOutOfRangeException e) {
                if (lost(e)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka kept answering that offset " + next + " of " + partition
                            + " is out of range, though the log still starts at or before it", e);
                }
                continue;
            }
            if (!records.isEmpty()) {
                polled = records.iterator();
                return;
            }
            long position = lease.consumer.position(partition);
            if (position > next) {
                next = Math.min(position, range.until()); // offsets with nothing visible behind them
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka returned no record of " + range + " at offset " + next
                        + " within " + pollTimeout.toMillis() + " ms (kafkaConsumer.pollTimeoutMs, default "
                        + "spark.network.timeout)");
            }
        }
    }

    /**
     * Offsets {@code [from, to)} had no record: invisible if they are still in the log (compaction, transactions),
     * else lost to retention.
     */
    private void skipped(long from, long to) {
        long earliest = lease.consumer.beginningOffsets(List.of(partition)).get(partition);
        if (earliest <= from) {
            return;
        }
        dataLoss(from, Math.min(to, earliest), null);
    }

    /**
     * The consumer's position is outside the log. Below the log's first offset, the records are lost (retention): read
     * on from that first offset, if within the range, and answer true. At or above it, retention took nothing the range
     * needs (the answer came from a fetch that raced a change of the log, such as a new leader's), so the position is
     * set again and false tells the caller to poll again, until its poll timeout.
     */
    private boolean lost(OffsetOutOfRangeException e) {
        long earliest = lease.consumer.beginningOffsets(List.of(partition)).get(partition);
        if (earliest <= next) {
            LOG.warn("Kafka answered that offset {} of {} is out of range, but the log starts at {}: reading it again",
                    next, partition, earliest);
            lease.consumer.seek(partition, next);
            return false;
        }
        long resume = Math.min(earliest, range.until());
        dataLoss(next, resume, e);
        next = resume;
        if (next < range.until()) {
            lease.consumer.seek(partition, next);
        }
        return true;
    }

    private void dataLoss(long from, long to, Exception cause) {
        String message = "Kafka no longer has offsets [" + from + ", " + to + ") of " + partition
                + ", which this micro-batch must read: they left the log (retention) before the job read them";
        if (failOnDataLoss) {
            throw new IllegalStateException(message + ". Keep records in the topic longer than the job can fall behind "
                    + "(the topic's retention.ms), or start the pipeline on a new checkpoint to go on from what is left",
                    cause);
        }
        LOG.warn("{}; skipped (failOnDataLoss=false)", message);
    }

    private static <T> Iterator<T> prepend(T first, Iterator<T> rest) {
        return new Iterator<>() {
            private boolean firstTaken;

            @Override
            public boolean hasNext() {
                return !firstTaken || rest.hasNext();
            }

            @Override
            public T next() {
                if (firstTaken) {
                    return rest.next();
                }
                firstTaken = true;
                return first;
            }
        };
    }

    /** Gives the consumer back for the next batch when the range was read to its end, else closes it. */
    @Override
    public void close() {
        if (lease == null) {
            return;
        }
        if (next >= range.until() && pending == null) {
            lease.position = range.until();
            lease.carried = carried == null ? polled : prepend(carried, polled);
            PooledConsumers.giveBack(lease);
        } else {
            PooledConsumers.close(lease);
        }
        lease = null;
    }
}
