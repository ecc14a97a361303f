package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThrottleTest {
    private static final double NANOS_PER_SECOND = 1e9;

    private final ManualTicker ticker = new ManualTicker();

    /** One acquisition: when it was granted and how many bytes it spent. */
    private record Grant(long atNanos, int bytes) {
    }

    private List<Grant> acquire(Throttle throttle, int count, int bytesEach) throws InterruptedException {
        List<Grant> grants = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            throttle.acquire(bytesEach);
            grants.add(new Grant(ticker.nanoTime(), bytesEach));
        }
        return grants;
    }

    /** Over every window [t_i, t_j], what passed is at most one second of burst plus rate × window. */
    private static void assertNeverFaster(List<Grant> grants, double recordsPerSecond, long bytesPerSecond) {
        double recordBurst = Math.max(1, Math.ceil(recordsPerSecond));
        for (int i = 0; i < grants.size(); i++) {
            long bytes = 0;
            for (int j = i; j < grants.size(); j++) {
                bytes += grants.get(j).bytes();
                double window = (grants.get(j).atNanos() - grants.get(i).atNanos()) / NANOS_PER_SECOND;
                long records = j - i + 1;
                assertThat(records)
                        .as("records granted between grant %d and %d (%.3f s apart) stay within %s/s plus one second of burst",
                                i, j, window, recordsPerSecond)
                        .isLessThanOrEqualTo((long) Math.floor(recordBurst + recordsPerSecond * window + 1e-6));
                assertThat(bytes)
                        .as("bytes granted between grant %d and %d (%.3f s apart) stay within %s bytes/s plus one second of burst",
                                i, j, window, bytesPerSecond)
                        .isLessThanOrEqualTo((long) Math.floor(bytesPerSecond + bytesPerSecond * window + 1e-6));
            }
        }
    }

    private double elapsedSeconds() {
        return ticker.nanoTime() / NANOS_PER_SECOND;
    }

    @Test
    void recordsPerSecondIsNeverExceeded() throws InterruptedException {
        Throttle throttle = new Throttle(100, 1 << 30, ticker);

        List<Grant> grants = acquire(throttle, 1000, 10);

        assertNeverFaster(grants, 100, 1 << 30);
        assertThat(elapsedSeconds()).as("1000 records at 100/s after a 100-record burst take at least 9 s of clock")
                .isGreaterThanOrEqualTo(9.0);
    }

    @Test
    void bytesPerSecondIsNeverExceeded() throws InterruptedException {
        Throttle throttle = new Throttle(1_000_000, 10_000, ticker);

        List<Grant> grants = acquire(throttle, 200, 1_000);

        assertNeverFaster(grants, 1_000_000, 10_000);
        assertThat(elapsedSeconds()).as("200 KB at 10 KB/s after a 10 KB burst take at least 19 s of clock")
                .isGreaterThanOrEqualTo(19.0);
    }

    @Test
    void bothLimitsHoldAtOnceWhicheverIsTighter() throws InterruptedException {
        Throttle throttle = new Throttle(50, 2_000, ticker);

        List<Grant> grants = new ArrayList<>();
        grants.addAll(acquire(throttle, 100, 100)); // bytes bind: 20 records/s
        grants.addAll(acquire(throttle, 300, 10));  // records bind: 50 records/s

        assertNeverFaster(grants, 50, 2_000);
    }

    @Test
    void aRecordLargerThanOneSecondOfBytesStillPassesAndKeepsTheLongRunRate() throws InterruptedException {
        Throttle throttle = new Throttle(1_000, 1_024, ticker);

        acquire(throttle, 10, 5_000);

        assertThat(elapsedSeconds()).as("50,000 bytes at 1,024 bytes/s after a 1,024-byte burst take at least 46 s")
                .isGreaterThanOrEqualTo((50_000 - 1_024 - 5_000) / 1_024.0);
    }

    @Test
    void byteRatesAboveWhatBucket4jCountsPerNanosecondStillWork() throws InterruptedException {
        Throttle throttle = new Throttle(1_000_000, 4L << 30, ticker);

        List<Grant> grants = acquire(throttle, 1_000, 16 << 20);

        assertNeverFaster(grants, 1_000_000, 4L << 30);
        assertThat(elapsedSeconds()).as("16 GiB at 4 GiB/s after a 4 GiB burst take at least 2.9 s").isGreaterThanOrEqualTo(2.9);
    }

    @Test
    void fractionalRatesAreHonoured() throws InterruptedException {
        Throttle throttle = new Throttle(0.5, 1 << 20, ticker);

        List<Grant> grants = acquire(throttle, 10, 1);

        assertNeverFaster(grants, 0.5, 1 << 20);
        assertThat(elapsedSeconds()).as("10 records at 0.5/s after a 1-record burst take at least 18 s").isGreaterThanOrEqualTo(18.0);
    }

    @Test
    void anInterruptedWaitEndsWithInterruptedException() {
        Throttle throttle = new Throttle(1, 1 << 20, ticker);
        Thread.currentThread().interrupt();
        try {
            throttle.acquire(1); // the burst token: granted without waiting
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> throttle.acquire(1))
                    .isInstanceOf(InterruptedException.class);
        } catch (InterruptedException e) {
            throw new AssertionError("the first token needs no wait and must not throw", e);
        } finally {
            Thread.interrupted();
        }
    }
}
