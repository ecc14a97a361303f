package io.sluice.stream.kafka;

import java.io.Serializable;
import org.apache.kafka.common.TopicPartition;

/**
 * The records {@code [from, until)} of one Kafka partition that a micro-batch reads, as Spark's Kafka source planned
 * them (its offset log is what makes a replayed batch read the same records).
 *
 * @param preferredLocation the executor Spark would run this range on (its consumer is cached there), or null
 */
record OffsetRange(String topic, int partition, long from, long until, String preferredLocation)
        implements Serializable {

    TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    long size() {
        return until - from;
    }

    @Override
    public String toString() {
        return topic + "-" + partition + " [" + from + ", " + until + ")";
    }
}
