package io.sluice.ingest.source.rest;

import com.cronutils.model.time.ExecutionTime;
import io.sluice.config.CronSchedules;
import io.sluice.config.PipelineConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Optional;

/** When the next poll cycle starts: {@code source.interval} after the last one started, or the next cron fire time. */
abstract class PollSchedule {

    /** Nanoseconds from now until the next cycle; {@code sinceLastStartNanos} is how long ago the last cycle began. */
    abstract long nanosUntilNextCycle(long sinceLastStartNanos);

    /** Whether the very first cycle runs at once (interval) or waits for the schedule (cron). */
    abstract boolean firstCycleImmediately();

    static PollSchedule from(PipelineConfig config, Clock clock) {
        return config.sourceSchedule() == null
                ? new Interval(config.sourceInterval())
                : new Cron(ExecutionTime.forCron(CronSchedules.parse(config.sourceSchedule())), clock, config.sourceSchedule());
    }

    private static final class Interval extends PollSchedule {
        private final long intervalNanos;

        Interval(Duration interval) {
            this.intervalNanos = interval.toNanos();
        }

        @Override
        long nanosUntilNextCycle(long sinceLastStartNanos) {
            return Math.max(0, intervalNanos - sinceLastStartNanos);
        }

        @Override
        boolean firstCycleImmediately() {
            return true;
        }

        @Override
        public String toString() {
            return "every " + Duration.ofNanos(intervalNanos);
        }
    }

    private static final class Cron extends PollSchedule {
        private final ExecutionTime executionTime;
        private final Clock clock;
        private final String expression;

        Cron(ExecutionTime executionTime, Clock clock, String expression) {
            this.executionTime = executionTime;
            this.clock = clock;
            this.expression = expression;
        }

        @Override
        long nanosUntilNextCycle(long sinceLastStartNanos) {
            Optional<Duration> wait = executionTime.timeToNextExecution(ZonedDateTime.now(clock));
            // An expression that never fires again (a past date) parks the poller rather than spinning.
            return wait.map(Duration::toNanos).orElse(Long.MAX_VALUE / 4);
        }

        @Override
        boolean firstCycleImmediately() {
            return false;
        }

        @Override
        public String toString() {
            return "on cron '" + expression + "' (UTC)";
        }
    }
}
