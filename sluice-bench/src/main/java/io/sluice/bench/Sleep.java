package io.sluice.bench;

/** Sleeping that turns an interrupt into a stopped benchmark, with the flag kept. */
final class Sleep {
    private Sleep() {
    }

    static void millis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("benchmark interrupted", e);
        }
    }
}
