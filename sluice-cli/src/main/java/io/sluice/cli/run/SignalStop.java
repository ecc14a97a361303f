package io.sluice.cli.run;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C and SIGTERM for the commands that run a pipeline. On either signal the JVM runs the command's stop sequence
 * once, in a shutdown hook, and then exits with the shell's code for the signal: 130 for SIGINT (Ctrl-C), 143 for
 * SIGTERM (128 + signal number; the JVM sets it, see {@link io.sluice.cli.ExitCodes}).
 *
 * <p>While the hook runs, the hook owns the pipeline: the command's own thread must not touch the clients it is
 * closing, so it calls {@link #parkIfSignalled()} before it would (after each sleep, and when it catches an exception
 * that a client closed under its feet may have caused). On the normal path the command calls {@link #runNow()} itself;
 * the sequence runs at most once either way.
 */
public final class SignalStop implements AutoCloseable {
    private final AtomicBoolean ran = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Runnable sequence;
    private final Thread hook;
    private volatile boolean signalled;

    /**
     * @param onSignal runs first when a signal (not the normal path) starts the sequence, e.g. to say what happens now
     * @param sequence the stop sequence; it must be bounded in time, since the JVM waits for it before exiting
     */
    public SignalStop(String name, Runnable onSignal, Runnable sequence) {
        this.sequence = sequence;
        this.hook = new Thread(() -> {
            if (ran.compareAndSet(false, true)) {
                signalled = true;
                onSignal.run();
                runSequence();
            } else {
                awaitSequence(); // the normal path is stopping: the JVM must not halt half way through
            }
        }, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Runs the stop sequence on the normal path; does nothing if it has already run or a signal is running it. */
    public void runNow() {
        if (ran.compareAndSet(false, true)) {
            runSequence();
        }
    }

    private void runSequence() {
        try {
            sequence.run();
        } finally {
            done.countDown();
        }
    }

    private void awaitSequence() {
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean signalled() {
        return signalled;
    }

    /** Once a signal started the stop sequence, parks the calling thread until the JVM halts after the hook. */
    public void parkIfSignalled() throws InterruptedException {
        if (signalled) {
            Thread.currentThread().join();
        }
    }

    /** Removes the hook; a JVM already shutting down keeps it, and runs it if it has not. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to run; it owns what is left.
        }
    }
}
