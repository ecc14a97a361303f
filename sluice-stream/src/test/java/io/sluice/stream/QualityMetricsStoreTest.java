package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The per-batch metrics row against a session whose answers the test scripts. */
class QualityMetricsStoreTest {
    private static final BatchSummary SUMMARY = new BatchSummary(10, 9, 1, 0, Map.of(), Map.of(), Map.of());
    private final List<SimpleStatement> prepared = new ArrayList<>();
    private int executes;

    private CqlSession session(IntFunction<RuntimeException> errorOfExecute) {
        BoundStatement bound = proxy(BoundStatement.class, (method, args) -> null);
        PreparedStatement statement = proxy(PreparedStatement.class, (method, args) -> {
            assertThat(method).isEqualTo("bind");
            return bound;
        });
        return proxy(CqlSession.class, (method, args) -> {
            switch (method) {
                case "prepare" -> {
                    prepared.add((SimpleStatement) args[0]);
                    return statement;
                }
                case "execute" -> {
                    assertThat(args[0]).isSameAs(bound);
                    RuntimeException error = errorOfExecute.apply(++executes);
                    if (error != null) {
                        throw error;
                    }
                    return null;
                }
                default -> throw new UnsupportedOperationException(method);
            }
        });
    }

    @Test
    void theMetricsRowIsIdempotentSoTheDriverMayResendItToAnotherNode() {
        new QualityMetricsStore(session(n -> null), DemoPipeline.load()).record(1, Instant.EPOCH, SUMMARY);

        assertThat(prepared).singleElement().satisfies(s -> {
            assertThat(s.isIdempotent()).as("a coordinator that dies mid-request is not the batch's end").isTrue();
            assertThat(s.getQuery()).startsWith("INSERT INTO ").contains("USING TTL ?");
        });
        assertThat(executes).isEqualTo(1);
    }

    @Test
    void aBusyCassandraDelaysTheMetricsRowInsteadOfFailingTheBatch() {
        QualityMetricsStore store = new QualityMetricsStore(
                session(n -> n <= 2 ? new DriverTimeoutException("paused") : null), DemoPipeline.load());

        store.record(7, Instant.EPOCH, SUMMARY);

        assertThat(executes).as("two timed-out writes, then the one that worked").isEqualTo(3);
    }

    @Test
    void anErrorThatIsNotAboutLoadFailsAtOnce() {
        QualityMetricsStore store = new QualityMetricsStore(
                session(n -> new InvalidQueryException(null, "unknown column")), DemoPipeline.load());

        assertThatThrownBy(() -> store.record(7, Instant.EPOCH, SUMMARY)).isInstanceOf(InvalidQueryException.class);
        assertThat(executes).isEqualTo(1);
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(QualityMetricsStoreTest.class.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> answer.answer(method.getName(), args)));
    }
}
