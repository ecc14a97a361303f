package io.sluice.stream.kafka;

import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.apache.spark.util.TaskCompletionListener;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * One task's reads: the rows of each of its {@link OffsetRange}s in turn. A named function class, not a lambda, so
 * Spark's ClosureCleaner has nothing to scan (see {@code BatchWriteJob}).
 */
final class ReadRanges extends AbstractFunction1<scala.collection.Iterator<List<OffsetRange>>,
        scala.collection.Iterator<InternalRow>> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final HashMap<String, Object> consumerSettings;
    private final long pollTimeoutMs;
    private final boolean failOnDataLoss;
    /** The rows metric of Spark's scan of the batch, which Spark's query progress reads; null to count nothing. */
    private final SQLMetric rowsRead;

    /**
     * @param executorSettings the settings Spark's Kafka source gives its executors' consumers (secrets included)
     * @param rowsRead         where each row read is counted (Spark's scan metric), or null
     */
    ReadRanges(Map<String, Object> executorSettings, long pollTimeoutMs, boolean failOnDataLoss, SQLMetric rowsRead) {
        this.consumerSettings = new HashMap<>(executorSettings);
        // The value as the consumer holds it, read in place. kafka-clients 3.4 (Spark 3.5's) copies each value into an
        // array of its own either way; newer clients (4.1) hand ByteBufferDeserializer a view of the fetched bytes.
        consumerSettings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumerSettings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteBufferDeserializer.class.getName());
        this.pollTimeoutMs = pollTimeoutMs;
        this.failOnDataLoss = failOnDataLoss;
        this.rowsRead = rowsRead;
    }

    @Override
    public scala.collection.Iterator<InternalRow> apply(scala.collection.Iterator<List<OffsetRange>> groups) {
        Iterator<List<OffsetRange>> tasks = CollectionConverters.asJava(groups);
        Rows rows = new Rows(tasks.hasNext() ? tasks.next().iterator() : Collections.emptyIterator());
        TaskContext context = TaskContext.get();
        if (context != null) {
            context.addTaskCompletionListener((TaskCompletionListener) done -> rows.close());
        }
        return CollectionConverters.asScala(rows);
    }

    /** The ranges' rows one range after the other; each range's consumer goes back to the pool as it ends. */
    private final class Rows implements Iterator<InternalRow> {
        private final Iterator<OffsetRange> ranges;
        private RangeRows current;
        /** Rows handed out and not yet added to {@link #rowsRead}. */
        private long read;

        Rows(Iterator<OffsetRange> ranges) {
            this.ranges = ranges;
        }

        @Override
        public boolean hasNext() {
            try {
                return advance();
            } catch (RuntimeException e) {
                close(); // a consumer whose read failed is closed, not pooled
                throw e;
            }
        }

        private boolean advance() {
            while (current == null || !current.hasNext()) {
                if (current != null) {
                    current.close();
                    current = null;
                }
                if (!ranges.hasNext()) {
                    return false;
                }
                OffsetRange range = ranges.next();
                current = new RangeRows(PooledConsumers.borrow(consumerSettings, range.topicPartition()), range,
                        Duration.ofMillis(pollTimeoutMs), failOnDataLoss);
            }
            return true;
        }

        @Override
        public InternalRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            read++;
            return current.next();
        }

        /** When the task completes (before Spark collects its metrics), or a read fails. */
        void close() {
            if (rowsRead != null && read > 0) {
                rowsRead.add(read); // the task's own copy of Spark's metric, merged into it as the task ends
                read = 0;
            }
            if (current != null) {
                current.close();
                current = null;
            }
        }
    }

    /** For tests: the settings each consumer is made with. */
    Map<String, Object> consumerSettings() {
        return Collections.unmodifiableMap(consumerSettings);
    }
}
