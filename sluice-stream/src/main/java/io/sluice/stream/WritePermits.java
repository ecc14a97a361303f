package io.sluice.stream;

import com.datastax.oss.driver.api.core.CqlSession;
import io.sluice.stream.adaptive.AdaptiveSettings;
import io.sluice.stream.adaptive.ControlState;
import io.sluice.stream.adaptive.NeighbourWatch;
import io.sluice.stream.adaptive.WriteController;
import io.sluice.stream.adaptive.WriteSlots;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;

/**
 * What one task of the driver writer may send: {@link #pace} per row, {@link #acquire} / {@link #release} per
 * request, {@link #attemptEnded} per attempt, {@link #awaitAll} at the end of the task. Two kinds:
 * <ul>
 *   <li>{@code sink.adaptive: false}: at most {@code sink.concurrent_writes} requests in flight per task, rows paced
 *       at the task's share of {@code sink.max_rows_per_second} ({@link TaskShares}; the static limits);</li>
 *   <li>{@code sink.adaptive: true}: the executor's {@link WriteSlots} and a pace that follows its
 *       {@link WriteController}; both outlive the task, so the next micro-batch starts where this one left off. The
 *       task's share of the cap still bounds it, so the cap holds cluster-wide either way.</li>
 * </ul>
 */
abstract class WritePermits {
    private static final ConcurrentMap<String, Adaptive> ADAPTIVE = new ConcurrentHashMap<>();

    /** This task's permits for the table {@code name}. */
    static WritePermits forTask(String name, int maxInFlight, TaskShares.Share capShare, AdaptiveSettings adaptive,
                                CqlSession session) {
        if (adaptive == null) {
            return new Fixed(maxInFlight, capShare);
        }
        Adaptive shared = ADAPTIVE.compute(name, (key, old) -> {
            if (old != null && old.settings.equals(adaptive)) {
                return old;
            }
            if (old != null) {
                old.retire();
            }
            return new Adaptive(adaptive, session);
        });
        return shared.forTask(capShare);
    }

    /** Waits until one more row may go. */
    abstract void pace() throws InterruptedException;

    /** Waits for a slot for one request; returns its start time for {@link #attemptEnded}. */
    abstract long acquire() throws InterruptedException;

    abstract void attemptEnded(long startNanos, int rows, Throwable error);

    /** A new start time for a retry of a request that holds its slot. */
    abstract long retryStart();

    abstract void release();

    /** Requests in flight now (of this task, or of the executor when they share the limit). */
    abstract int inFlight();

    /** Waits until every request of this task has been released. */
    abstract void awaitAll() throws InterruptedException;

    /** The controller's state, or null with static limits. */
    abstract ControlState state();

    private static final class Fixed extends WritePermits {
        private final int maxInFlight;
        private final Semaphore slots;
        private final TaskShares.Share capShare;

        Fixed(int maxInFlight, TaskShares.Share capShare) {
            this.maxInFlight = maxInFlight;
            this.slots = new Semaphore(maxInFlight);
            this.capShare = capShare;
        }

        @Override void pace() throws InterruptedException { capShare.acquire(); }
        @Override long acquire() throws InterruptedException { slots.acquire(); return System.nanoTime(); }
        @Override void attemptEnded(long startNanos, int rows, Throwable error) { }
        @Override long retryStart() { return System.nanoTime(); }
        @Override void release() { slots.release(); }
        @Override int inFlight() { return maxInFlight - slots.availablePermits(); }
        @Override void awaitAll() throws InterruptedException { slots.acquire(maxInFlight); }
        @Override ControlState state() { return null; }
    }

    /** The executor-wide part: one controller, its slots and its pace. */
    private static final class Adaptive {
        final AdaptiveSettings settings;
        final WriteSlots slots;
        final RowRateLimiter pace;
        /** Null unless the controller yields to other clients. */
        private final NeighbourWatch watch;

        Adaptive(AdaptiveSettings settings, CqlSession session) {
            this.settings = settings;
            WriteController controller = new WriteController(settings, System::nanoTime);
            this.slots = new WriteSlots(controller, System::nanoTime);
            this.pace = RowRateLimiter.system(settings.maxRowsPerSecond());
            this.watch = controller.watchesNeighbours() ? NeighbourWatch.of(session).feed(controller) : null;
        }

        /** A job with other settings took this table over: the watch stops feeding the old controller. */
        void retire() {
            if (watch != null) {
                watch.stopFeeding(slots.controller());
            }
        }

        WritePermits forTask(TaskShares.Share capShare) {
            return new AdaptiveTask(this, capShare);
        }
    }

    private static final class AdaptiveTask extends WritePermits {
        private final Adaptive shared;
        private final TaskShares.Share capShare;
        /** Counts this task's releases, so the task can wait for its own requests while the slots are shared. */
        private final Semaphore released = new Semaphore(0);
        private int acquired;

        AdaptiveTask(Adaptive shared, TaskShares.Share capShare) {
            this.shared = shared;
            this.capShare = capShare;
        }

        /** The controller's pace for the executor, then the task's share of the cluster-wide cap: both hold. */
        @Override
        void pace() throws InterruptedException {
            shared.pace.acquire();
            capShare.acquire();
        }

        @Override
        long acquire() throws InterruptedException {
            long start = shared.slots.acquire();
            acquired++;
            shared.pace.setRate(shared.slots.controller().rowsPerSecond());
            return start;
        }

        @Override
        void attemptEnded(long startNanos, int rows, Throwable error) {
            shared.slots.attemptEnded(startNanos, rows, error);
        }

        @Override
        long retryStart() {
            return shared.slots.now();
        }

        @Override
        void release() {
            shared.slots.release();
            released.release();
        }

        @Override
        int inFlight() {
            return shared.slots.inFlight();
        }

        @Override
        void awaitAll() throws InterruptedException {
            released.acquire(acquired);
        }

        @Override
        ControlState state() {
            return shared.slots.controller().state();
        }
    }
}
