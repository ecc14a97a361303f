package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskSharesTest {
    private static final double CAP = 500;

    /** One executor JVM: its own clock, which only moves when its limiter sleeps (or the test says so). */
    private static final class Executor {
        long now = 1_000_000_000L;
        final TaskShares bucket = new TaskShares(CAP, () -> new RowRateLimiter(CAP, () -> now, nanos -> now += nanos));

        /** Rows the bucket lets through in {@code seconds} of this executor's time. */
        long rowsIn(double seconds) throws InterruptedException {
            TaskShares.Share any = bucket.join(1e-9); // draws from the shared bucket, adds nothing to its rate
            try {
                long end = now + (long) (seconds * 1e9);
                long rows = 0;
                while (true) {
                    any.acquire();
                    if (now >= end) {
                        return rows;
                    }
                    rows++;
                }
            } finally {
                any.close();
            }
        }
    }

    @Test
    void aTasksShareIsTheCapDividedByTheBatchsTasks() {
        assertThat(TaskShares.perTask(CAP, 4, false)).isEqualTo(125.0);
        assertThat(TaskShares.perTask(CAP, 7, false)).as("no rounding that could add up past the cap")
                .isLessThanOrEqualTo(CAP / 7);
        assertThat(TaskShares.perTask(CAP, 0, false)).as("a batch with no partitions still gets a valid share")
                .isEqualTo(CAP);
        assertThat(TaskShares.perTask(CAP, 4, true)).as("local mode: every task may use the whole cap of the one bucket")
                .isEqualTo(CAP);
    }

    @Test
    void anExecutorsBucketRunsAtTheSumOfItsTasksShares() {
        Executor executor = new Executor();
        double share = TaskShares.perTask(CAP, 4, false);
        TaskShares.Share first = executor.bucket.join(share);
        assertThat(executor.bucket.rate()).isEqualTo(125.0);
        TaskShares.Share second = executor.bucket.join(share);
        assertThat(executor.bucket.rate()).isEqualTo(250.0);
        first.close();
        first.close(); // closing twice gives the share back once
        assertThat(executor.bucket.rate()).as("a task that ended takes its share with it").isEqualTo(125.0);
        second.close();
    }

    @Test
    void theBucketNeverRunsAboveTheCap() {
        Executor executor = new Executor();
        List<TaskShares.Share> shares = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            shares.add(executor.bucket.join(TaskShares.perTask(CAP, 3, true)));
        }
        assertThat(executor.bucket.rate()).as("three local-mode tasks of the whole cap each").isEqualTo(CAP);
        shares.forEach(TaskShares.Share::close);
    }

    /**
     * Five tasks over three executors with different numbers of cores: 2 + 2 + 1 tasks at once. Each executor's
     * bucket only knows its own tasks, yet together they write no more than the cap in any one second.
     */
    @Test
    void unevenExecutorsTogetherStayWithinTheCap() throws InterruptedException {
        int tasks = 5;
        double share = TaskShares.perTask(CAP, tasks, false);
        int[] tasksPerExecutor = {2, 2, 1};
        long total = 0;
        for (int running : tasksPerExecutor) {
            Executor executor = new Executor();
            for (int i = 0; i < running; i++) {
                executor.bucket.join(share);
            }
            long rows = executor.rowsIn(10);
            assertThat(rows).as("an executor with %d of the %d tasks writes its part of the cap", running, tasks)
                    .isBetween((long) (10 * running * share * 0.99), (long) (10 * running * share * 1.02));
            total += rows;
        }
        assertThat(total).as("all executors together over 10 s: at most the cap (500 rows/s) plus the 2 %% burst")
                .isLessThanOrEqualTo((long) (10 * CAP * 1.02));
    }

    /** The same batch in waves: 4 tasks on 2 cores. Only running tasks hold shares, so the job writes below the cap. */
    @Test
    void tasksRunningInWavesWriteBelowTheCap() throws InterruptedException {
        Executor executor = new Executor();
        double share = TaskShares.perTask(CAP, 4, false);
        TaskShares.Share first = executor.bucket.join(share);
        TaskShares.Share second = executor.bucket.join(share);
        long rows = executor.rowsIn(10);
        assertThat(rows).as("2 of 4 tasks running: half the cap").isBetween(2450L, 2510L);
        first.close();
        second.close();
    }

    @Test
    void aLowerRateTakesEffectForTheNextRow() throws InterruptedException {
        Executor executor = new Executor();
        TaskShares.Share a = executor.bucket.join(250);
        TaskShares.Share b = executor.bucket.join(250);
        executor.rowsIn(1);
        b.close();
        long rows = executor.rowsIn(10);
        assertThat(rows).as("after one of two tasks ended, the bucket runs at the remaining share")
                .isBetween(2490L, 2510L);
        a.close();
    }

    @Test
    void refusesAShareThatIsNotPositive() {
        assertThatThrownBy(() -> new Executor().bucket.join(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a task's share must be > 0 rows/s, got 0.0");
    }
}
