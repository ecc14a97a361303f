package io.sluice.config;

import java.time.Duration;

/**
 * The span {@code dq.halt.max_failure_ratio} is measured over: the last N micro-batches ({@code "10"}) or the batches
 * of the last stretch of time ({@code "5m"}).
 */
public record HaltWindow(int batches, Duration time) {

    public static HaltWindow parse(String text) {
        String t = text.strip();
        if (t.chars().allMatch(Character::isDigit) && !t.isEmpty()) {
            int n;
            try {
                n = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a number of batches between 1 and 10000, or a duration such as 5m");
            }
            if (n < 1 || n > 10_000) {
                throw new IllegalArgumentException("must be a number of batches between 1 and 10000, or a duration such as 5m");
            }
            return new HaltWindow(n, null);
        }
        try {
            Duration d = Durations.parse(t);
            if (d.isZero()) {
                throw new IllegalArgumentException("must be above 0s");
            }
            return new HaltWindow(0, d);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be a number of batches such as 10, or a duration such as 5m");
        }
    }

    public boolean byTime() {
        return time != null;
    }

    static Validator validator() {
        return v -> {
            try {
                parse(String.valueOf(v));
                return null;
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        };
    }

    @Override
    public String toString() {
        return byTime() ? Durations.format(time) : batches + (batches == 1 ? " batch" : " batches");
    }
}
