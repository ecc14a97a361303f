package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How many tasks write a micro-batch: few for a small batch, never more than its Kafka partitions. */
class BatchWriteJobTest {
    @Test
    void aDefaultBatchIsOneTask() {
        assertThat(BatchWriteJob.tasks(3, 1_000)).as("1,000 records from 3 partitions").isEqualTo(1);
        assertThat(BatchWriteJob.tasks(3, BatchWriteJob.RECORDS_PER_TASK)).isEqualTo(1);
    }

    @Test
    void aLargerBatchGetsATaskPerShare() {
        assertThat(BatchWriteJob.tasks(8, BatchWriteJob.RECORDS_PER_TASK + 1)).isEqualTo(2);
        assertThat(BatchWriteJob.tasks(8, 20_000)).isEqualTo(4);
    }

    @Test
    void neverMoreTasksThanPartitionsNorFewerThanOne() {
        assertThat(BatchWriteJob.tasks(3, 50_000)).as("full speed on 3 partitions").isEqualTo(3);
        assertThat(BatchWriteJob.tasks(3, Long.MAX_VALUE)).isEqualTo(3);
        assertThat(BatchWriteJob.tasks(1, 1)).isEqualTo(1);
        assertThat(BatchWriteJob.tasks(0, 1_000)).as("an empty batch still runs its (empty) job").isEqualTo(1);
    }
}
