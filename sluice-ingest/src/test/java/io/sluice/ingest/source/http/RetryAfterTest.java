package io.sluice.ingest.source.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2025-01-01T12:00:03Z");

    @Test
    void retryAfterReadsSecondsAndHttpDatesAndIgnoresGarbage() {
        assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofMinutes(2));
        assertThat(RetryAfter.parse("Wed, 01 Jan 2025 12:00:13 GMT", NOW)).contains(Duration.ofSeconds(10));
        assertThat(RetryAfter.parse("Wed, 01 Jan 2025 11:00:00 GMT", NOW)).as("a date in the past means now")
                .contains(Duration.ZERO);
        assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
        assertThat(RetryAfter.parse(null, NOW)).isEmpty();
    }
}
