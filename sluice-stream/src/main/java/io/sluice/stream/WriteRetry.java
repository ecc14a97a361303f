package io.sluice.stream;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import io.sluice.config.Backoff;
import io.sluice.stream.adaptive.WriteOutcome;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sends one request of the driver writer until Cassandra takes it (an upsert is idempotent, so a repeat is harmless).
 * A request that Cassandra refuses as busy ({@link WriteOutcome#busy}: timed out, overloaded, replicas unavailable)
 * is retried with the shared {@link Backoff} for as long as {@code sink.write_retry_timeout} allows: a node that
 * pauses or restarts makes the micro-batch wait, not fail. Any other error is retried {@value #ATTEMPTS} times. Every
 * attempt is reported to the permits (the adaptive controller learns from each); the request keeps its slot between
 * attempts, so the waits add no load.
 */
final class WriteRetry {
    /** Attempts for errors that say nothing about load (a bad statement fails the same way every time). */
    static final int ATTEMPTS = 5;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final CqlSession session;
    private final Statement<?> statement;
    private final int rows;
    private final WritePermits permits;
    private final WriteStats stats;
    private final long giveUpNanos;
    private final Backoff backoff = Backoff.capped(FIRST_BACKOFF, MAX_BACKOFF, ThreadLocalRandom.current()::nextDouble);

    private WriteRetry(CqlSession session, Statement<?> statement, int rows, WritePermits permits, WriteStats stats,
                       long firstSentNanos, Duration retryTimeout) {
        this.session = session;
        this.statement = statement;
        this.rows = rows;
        this.permits = permits;
        this.stats = stats;
        this.giveUpNanos = firstSentNanos + retryTimeout.toNanos();
    }

    /** Sends {@code statement} ({@code rows} rows), first sent at {@code sentNanos} on the permits' clock. */
    static CompletableFuture<Void> send(CqlSession session, Statement<?> statement, int rows, long sentNanos,
                                        WritePermits permits, WriteStats stats, Duration retryTimeout) {
        return new WriteRetry(session, statement, rows, permits, stats, sentNanos, retryTimeout).attempt(1, sentNanos);
    }

    /**
     * Prepares {@code statement} at the start of a task, retrying with the same backoff while Cassandra is busy (a
     * task that starts while the node is paused must wait, not fail the micro-batch), up to {@code retryTimeout}.
     */
    static PreparedStatement prepare(CqlSession session, SimpleStatement statement, Duration retryTimeout)
            throws InterruptedException {
        return whileBusy(() -> session.prepare(statement), retryTimeout);
    }

    /**
     * Runs one blocking request (a prepare, a micro-batch's metrics row) until Cassandra takes it: while Cassandra is
     * busy ({@link WriteOutcome#busy}) it is retried with the shared backoff, up to {@code retryTimeout}; any other
     * error is thrown at once.
     */
    static <T> T whileBusy(Supplier<T> request, Duration retryTimeout) throws InterruptedException {
        Backoff backoff = Backoff.capped(FIRST_BACKOFF, MAX_BACKOFF, ThreadLocalRandom.current()::nextDouble);
        long giveUp = System.nanoTime() + retryTimeout.toNanos();
        while (true) {
            try {
                return request.get();
            } catch (RuntimeException e) {
                if (!WriteOutcome.of(e).busy() || System.nanoTime() - giveUp >= 0) {
                    throw e;
                }
                Thread.sleep(backoff.nextDelay().toMillis());
            }
        }
    }

    private CompletableFuture<Void> attempt(int attempt, long sentNanos) {
        return session.executeAsync(statement).toCompletableFuture().handle((result, error) -> {
            permits.attemptEnded(sentNanos, rows, error);
            if (error == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            WriteOutcome outcome = WriteOutcome.of(error);
            boolean giveUp = outcome.busy() ? permits.retryStart() - giveUpNanos >= 0 : attempt >= ATTEMPTS;
            if (giveUp) {
                return CompletableFuture.<Void>failedFuture(error);
            }
            stats.retry(outcome == WriteOutcome.TIMEOUT);
            Executor later = CompletableFuture.delayedExecutor(backoff.delayForAttempt(attempt).toMillis(),
                    TimeUnit.MILLISECONDS);
            return CompletableFuture.supplyAsync(() -> null, later)
                    .thenCompose(ignored -> attempt(attempt + 1, permits.retryStart()));
        }).thenCompose(next -> next);
    }
}
