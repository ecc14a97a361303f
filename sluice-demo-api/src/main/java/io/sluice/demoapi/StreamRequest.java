package io.sluice.demoapi;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One stream subscription, parsed from query parameters over the server defaults.
 *
 * @param seed   whose sequence to stream
 * @param from   index of the first user to send
 * @param rate   events per second; 0 = unthrottled
 * @param limit  events to send on this connection before ending it; -1 = no limit
 * @param total  absolute end of the sequence (exclusive), shared by every reconnect; -1 = endless
 * @param faults faults to inject on this connection
 */
record StreamRequest(String seed, long from, double rate, long limit, long total, FaultSpec faults) {

    /** True when the stream has nothing left to send, e.g. a resume past the end of the sequence. */
    boolean exhausted() {
        return limit == 0 || (total >= 0 && from >= total);
    }

    /** Whether the event at {@code sent} events into this connection (index from+sent) is still due. */
    boolean wants(long sent) {
        return (limit < 0 || sent < limit) && (total < 0 || from + sent < total);
    }

    /**
     * Reads {@code seed}, {@code from}, {@code rate}, {@code limit}, {@code total} and
     * {@code fail}.
     *
     * @param query   looks up one query parameter (null when absent)
     * @param resumeAfter the last index the client already has (SSE Last-Event-ID), or null; wins
     *                over {@code from} because a reconnecting client keeps its original URL
     * @throws BadRequestException naming every bad parameter
     */
    static StreamRequest parse(Function<String, String> query, String resumeAfter, DemoApiSettings defaults) {
        Params params = new Params(query);
        String seed = params.text("seed", defaults.seed());
        long from = params.longAtLeast("from", 0, 0);
        if (resumeAfter != null && !resumeAfter.isBlank()) {
            from = params.parseLong("Last-Event-ID", resumeAfter.trim(), -1) + 1;
        }
        double rate = params.doubleAtLeast("rate", 0, defaults.rate());
        long limit = params.longAtLeast("limit", 0, -1);
        long total = params.longAtLeast("total", 0, defaults.total());
        FaultSpec faults = params.faults("fail", defaults.faults());
        params.throwIfInvalid();
        return new StreamRequest(seed, from, rate, limit, total, faults);
    }

    /** Typed query parameter access that collects problems instead of failing on the first. */
    static final class Params {
        private final Function<String, String> query;
        private final List<String> problems = new ArrayList<>();

        Params(Function<String, String> query) {
            this.query = query;
        }

        String text(String name, String fallback) {
            String value = query.apply(name);
            return value == null || value.isEmpty() ? fallback : value;
        }

        long longAtLeast(String name, long min, long fallback) {
            String value = query.apply(name);
            return value == null || value.isBlank() ? fallback : parseLong(name, value.trim(), min);
        }

        long parseLong(String name, String value, long min) {
            try {
                long parsed = Long.parseLong(value);
                if (parsed >= min) {
                    return parsed;
                }
                problems.add(name + " must be >= " + min + ", got " + value);
            } catch (NumberFormatException e) {
                problems.add(name + " must be a whole number, got '" + value + "'");
            }
            return min;
        }

        double doubleAtLeast(String name, double min, double fallback) {
            String value = query.apply(name);
            if (value == null || value.isBlank()) {
                return fallback;
            }
            try {
                double parsed = Double.parseDouble(value.trim());
                if (parsed >= min && Double.isFinite(parsed)) {
                    return parsed;
                }
                problems.add(name + " must be a finite number >= " + min + ", got " + value);
            } catch (NumberFormatException e) {
                problems.add(name + " must be a number, got '" + value + "'");
            }
            return fallback;
        }

        FaultSpec faults(String name, FaultSpec fallback) {
            String value = query.apply(name);
            if (value == null) {
                return fallback;
            }
            try {
                return FaultSpec.parse(value);
            } catch (IllegalArgumentException e) {
                problems.add(name + ": " + e.getMessage());
                return fallback;
            }
        }

        void throwIfInvalid() {
            if (!problems.isEmpty()) {
                throw new BadRequestException(problems);
            }
        }
    }
}
