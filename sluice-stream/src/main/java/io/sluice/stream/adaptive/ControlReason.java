package io.sluice.stream.adaptive;

/** Why the adaptive controller last changed its limit, as the dashboard shows it. */
public enum ControlReason {
    BASELINE("measuring baseline latency"),
    GROWING("latency within target: growing"),
    CEILING("at the ceiling (sink.concurrent_writes / sink.max_rows_per_second)"),
    SLOW("latency above target: backed off"),
    TIMEOUT("write timeouts: backed off"),
    OVERLOADED("Cassandra overloaded: backed off"),
    UNAVAILABLE("replicas unavailable: backed off"),
    YIELDING("other clients slowed down: yielding to them (sink.adaptive.neighbours)"),
    WATCHING("looking for other clients first: at the minimum rate until then (sink.adaptive.neighbours)");

    private final String description;

    ControlReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The back-off reason for a busy outcome. */
    static ControlReason backOff(WriteOutcome outcome) {
        return switch (outcome) {
            case TIMEOUT -> TIMEOUT;
            case OVERLOADED -> OVERLOADED;
            case UNAVAILABLE -> UNAVAILABLE;
            default -> SLOW;
        };
    }
}
