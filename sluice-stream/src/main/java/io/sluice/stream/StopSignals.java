package io.sluice.stream;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ways the job is asked to stop, all ending in {@link #stopGracefully}: the parent process closing our stdin (a
 * parent that dies closes it too, so an embedded job never outlives the CLI that started it) and SIGTERM.
 */
final class StopSignals {
    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    /** Runs before Spark's own shutdown hook (priority 40 in Hadoop's manager), so the query stops while Spark is alive. */
    private static final int BEFORE_SPARK_SHUTDOWN = 100;
    private static final AtomicBoolean JVM_SHUTTING_DOWN = new AtomicBoolean();

    private StopSignals() {
    }

    static boolean jvmShuttingDown() {
        return JVM_SHUTTING_DOWN.get();
    }

    /** Starts a daemon thread that calls {@code onEof} once {@code in} reaches end of file. */
    static void onStdinClosed(InputStream in, Runnable onEof) {
        Thread watcher = new Thread(() -> {
            byte[] buffer = new byte[256];
            try {
                while (in.read(buffer) >= 0) {
                    // The parent writes nothing; we only wait for the pipe to close.
                }
            } catch (IOException e) {
                LOG.warn("stdin failed ({}); treating it as closed", e.getMessage());
            }
            onEof.run();
        }, "sluice-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    static void onShutdown(Runnable action, Duration timeout) {
        ShutdownHookManager.get().addShutdownHook(() -> {
            JVM_SHUTTING_DOWN.set(true);
            action.run();
        }, BEFORE_SPARK_SHUTDOWN, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Lets a running micro-batch finish (up to {@code wait}) before stopping, so the stop lands between batches. If
     * the wait runs out, Spark interrupts the batch; it was not committed, so the next run repeats it, and the repeated
     * rows are upserts of the same keys.
     */
    static void stopGracefully(StreamingQuery query, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (query.isActive() && query.status().isTriggerActive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            query.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) { // stop() declares Scala's TimeoutException
            LOG.warn("stopping the query did not finish cleanly: {}", Messages.firstLine(e.getMessage()));
        }
    }
}
