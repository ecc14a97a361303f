package io.sluice.ingest.source.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PendingAcksTest {
    private final PendingAcks acks = new PendingAcks();

    @Test
    void aCommitAcknowledgesEveryMessageUpToItInArrivalOrder() {
        long a = acks.received(11, 1);
        long b = acks.received(12, 1);
        acks.received(13, 1);

        assertThat(acks.committedThrough(b)).extracting(PendingAcks.Ack::messageId).containsExactly(11, 12);
        assertThat(acks.size()).isEqualTo(1);
        assertThat(a).isLessThan(b);
    }

    @Test
    void aMessageWithoutRecordsWaitsForTheOnesBeforeItThenGoesAlong() {
        long a = acks.received(1, 1);
        long malformed = acks.received(2, 1);
        long c = acks.received(3, 1);

        assertThat(acks.noRecords(malformed)).as("must not overtake message 1").isEmpty();
        assertThat(acks.committedThrough(a)).extracting(PendingAcks.Ack::messageId).containsExactly(1, 2);
        assertThat(acks.committedThrough(c)).extracting(PendingAcks.Ack::messageId).containsExactly(3);
    }

    @Test
    void afterAConnectionLossOldIdsAreForgottenNotAcknowledged() {
        long a = acks.received(1, 1);
        assertThat(acks.connectionLost()).isEqualTo(1);
        long b = acks.received(1, 1); // the broker redelivers under an id of the new connection

        assertThat(acks.committedThrough(a)).as("a commit from the old connection acknowledges nothing new").isEmpty();
        assertThat(acks.committedThrough(b)).extracting(PendingAcks.Ack::seq).containsExactly(b);
    }
}
