package io.sluice.stream;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * How {@code sink.max_rows_per_second} holds for the whole job, whatever the number of executors, cores and tasks.
 *
 * <p>For each micro-batch the driver splits the cap into equal shares, one per task of the batch's write
 * ({@link #perTask}). A task holds its share while it writes; the tasks running in one executor JVM draw from one
 * bucket whose rate is the sum of their shares ({@link #join}). A batch's tasks are the only ones writing (the next
 * batch starts after this one's job ended), so at any moment the rates of all buckets together are at most
 * {@code tasks x cap / tasks = cap}, with no knowledge of how many executors exist or where the tasks run.
 *
 * <p>The bound is an upper bound, not a promise of throughput: when a batch has more tasks than the cluster has cores,
 * the tasks run in waves and only the running ones hold shares, so the job writes below the cap; a task that ends early
 * takes its share with it. Each bucket may send 20 ms of its rate back to back after an idle spell
 * ({@link RowRateLimiter}), so any one-second window holds at most the cap plus 2 %. Speculative execution
 * ({@code spark.speculation}, off by default) would run two copies of a task, each with a share, and break the bound.
 *
 * <p>In local mode every task runs in the one JVM, so a task's share is the whole cap and the bucket is capped at it:
 * one task can use the full rate while the others are idle.
 */
final class TaskShares {
    private static final ConcurrentMap<String, TaskShares> BUCKETS = new ConcurrentHashMap<>();

    private final double ceiling;
    private final Supplier<RowRateLimiter> limiterFactory;
    private RowRateLimiter limiter;
    private double heldShares;
    private int holders;

    TaskShares(double ceiling, Supplier<RowRateLimiter> limiterFactory) {
        this.ceiling = ceiling;
        this.limiterFactory = limiterFactory;
    }

    /**
     * One task's share of the cap for a batch of {@code tasks} tasks.
     *
     * @param cap         {@code sink.max_rows_per_second}
     * @param tasks       the number of partitions (tasks) of the batch's write
     * @param oneJvm      true in local mode, where every task shares one bucket anyway
     */
    static double perTask(double cap, int tasks, boolean oneJvm) {
        return oneJvm ? cap : cap / Math.max(1, tasks);
    }

    /** The bucket of this JVM for the sink {@code name}; its rate never exceeds {@code cap}. */
    static Share join(String name, double cap, double share) {
        TaskShares bucket = BUCKETS.compute(name, (key, old) -> old != null && old.ceiling == cap ? old
                : new TaskShares(cap, () -> RowRateLimiter.system(cap)));
        return bucket.join(share);
    }

    /** Adds a task's share to this bucket until the returned share is closed. */
    Share join(double share) {
        if (!(share > 0)) {
            throw new IllegalArgumentException("a task's share must be > 0 rows/s, got " + share);
        }
        RowRateLimiter current;
        synchronized (this) {
            heldShares += share;
            holders++;
            if (limiter == null) {
                limiter = limiterFactory.get();
            }
            limiter.setRate(rate());
            current = limiter;
        }
        return new Share(this, current, share);
    }

    /** The bucket's rate now: the shares of the tasks holding one, at most the cap. */
    synchronized double rate() {
        return Math.min(ceiling, heldShares);
    }

    private synchronized void leave(double share) {
        holders--;
        // Sums of doubles drift; with no holder left the bucket is exactly empty.
        heldShares = holders == 0 ? 0 : heldShares - share;
        if (heldShares > 0) {
            limiter.setRate(rate());
        }
    }

    /** A task's hold on its share; close it when the task has sent its last row. */
    static final class Share implements AutoCloseable {
        private final TaskShares bucket;
        private final RowRateLimiter limiter;
        private final double rowsPerSecond;
        private boolean closed;

        private Share(TaskShares bucket, RowRateLimiter limiter, double rowsPerSecond) {
            this.bucket = bucket;
            this.limiter = limiter;
            this.rowsPerSecond = rowsPerSecond;
        }

        /** Waits until one more row may be written. */
        void acquire() throws InterruptedException {
            limiter.acquire();
        }

        double rowsPerSecond() {
            return rowsPerSecond;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                bucket.leave(rowsPerSecond);
            }
        }
    }
}
