package io.sluice.stream.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class WriteOutcomeTest {
    @Test
    void cassandraSayingItIsBusyIsToldFromAnError() {
        assertThat(WriteOutcome.of(null)).isEqualTo(WriteOutcome.OK);
        assertThat(WriteOutcome.of(new CompletionException(new DriverTimeoutException("2 s"))))
                .as("a client timeout wrapped by the future").isEqualTo(WriteOutcome.TIMEOUT);
        assertThat(WriteOutcome.of(new UnavailableException(null, DefaultConsistencyLevel.QUORUM, 2, 1)))
                .isEqualTo(WriteOutcome.UNAVAILABLE);
        assertThat(WriteOutcome.of(new NoNodeAvailableException())).isEqualTo(WriteOutcome.UNAVAILABLE);
        assertThat(WriteOutcome.of(new InvalidQueryException(null, "unknown column"))).isEqualTo(WriteOutcome.FAILED);
        assertThat(WriteOutcome.TIMEOUT.busy()).isTrue();
        assertThat(WriteOutcome.FAILED.busy()).isFalse();
    }
}
