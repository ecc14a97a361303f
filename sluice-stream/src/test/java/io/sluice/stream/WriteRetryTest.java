package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import io.sluice.stream.adaptive.AdaptiveSettings;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Retries against a session whose answers the test scripts: the n-th call fails or succeeds as told. */
class WriteRetryTest {
    private final AtomicInteger calls = new AtomicInteger();
    private final WriteStats stats = new WriteStats();

    private CqlSession session(IntFunction<Throwable> errorOfCall) {
        return (CqlSession) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {CqlSession.class},
                (proxy, method, args) -> {
                    Throwable error = errorOfCall.apply(calls.incrementAndGet());
                    if (method.getName().equals("prepare")) {
                        if (error != null) {
                            throw error;
                        }
                        return null; // the test only counts the calls
                    }
                    if (!method.getName().equals("executeAsync")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return error == null ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(error);
                });
    }

    private static WritePermits permits() {
        return WritePermits.forTask("retry-test", 4, TaskShares.join("retry-test", 1_000, 1_000),
                new AdaptiveSettings(1, 4, 10, 1_000, 0, 3.0, Duration.ofSeconds(30)), null);
    }

    @Test
    void aTimedOutWriteIsRetriedUntilCassandraAnswers() throws Exception {
        CqlSession session = session(n -> n <= 3 ? new DriverTimeoutException("no answer in 2 s") : null);
        WritePermits permits = permits();

        WriteRetry.send(session, SimpleStatement.newInstance("INSERT"), 1, System.nanoTime(), permits, stats,
                Duration.ofSeconds(30)).get(10, TimeUnit.SECONDS);

        assertThat(calls).as("three timeouts, then the write").hasValue(4);
        assertThat(stats.figures().timeouts()).isEqualTo(3);
        assertThat(permits.state().reason().name()).as("the controller heard of the timeouts").isEqualTo("TIMEOUT");
    }

    @Test
    void aBusyCassandraFailsTheWriteOnlyWhenTheRetryTimeoutRunsOut() {
        CqlSession session = session(n -> new DriverTimeoutException("paused"));

        assertThatThrownBy(() -> WriteRetry.send(session, SimpleStatement.newInstance("INSERT"), 1, System.nanoTime(),
                permits(), stats, Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(DriverTimeoutException.class);
        assertThat(calls.get()).as("retried with backoff for the second allowed, not given up at once").isGreaterThan(2);
    }

    @Test
    void anErrorThatIsNotAboutLoadIsTriedFiveTimes() {
        CqlSession session = session(n -> new InvalidQueryException(null, "unknown column"));

        assertThatThrownBy(() -> WriteRetry.send(session, SimpleStatement.newInstance("INSERT"), 1, System.nanoTime(),
                permits(), stats, Duration.ofMinutes(5)).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(InvalidQueryException.class);
        assertThat(calls).hasValue(WriteRetry.ATTEMPTS);
    }

    @Test
    void aTaskThatStartsWhileCassandraIsPausedWaitsForItsPrepare() throws Exception {
        CqlSession session = session(n -> n <= 2 ? new DriverTimeoutException("paused") : null);

        WriteRetry.prepare(session, SimpleStatement.newInstance("INSERT"), Duration.ofSeconds(30));

        assertThat(calls).as("two timed-out prepares, then the one that worked").hasValue(3);
    }
}
