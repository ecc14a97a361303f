package io.sluice.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Cumulative CPU time as Linux accounts it in {@code /proc}: one process's user + system time (all its threads,
 * including those already ended) and the whole machine's busy time. Figures are seconds since the process (or the
 * machine) started; a window's use is the difference of two readings. On a system without /proc, or for a process
 * that has exited, a reading is simply empty.
 */
final class CpuMeter {
    /** Kernel clock ticks per second ({@code USER_HZ}); what /proc counts CPU time in. Read once. */
    private static final class ClockTicks {
        static final long PER_SECOND = readClockTicks();
    }

    private final Path proc;
    private final long ticksPerSecond;

    /** The real /proc. */
    CpuMeter() {
        this(Path.of("/proc"), ClockTicks.PER_SECOND);
    }

    /** A /proc tree rooted elsewhere (tests use a fake one) and its clock rate. */
    CpuMeter(Path proc, long ticksPerSecond) {
        this.proc = proc;
        this.ticksPerSecond = ticksPerSecond;
    }

    /** CPU seconds (user + system) the process has used since it started; empty once it is gone, or off Linux. */
    OptionalDouble processSeconds(long pid) {
        OptionalLong ticks = read(proc.resolve(Long.toString(pid)).resolve("stat")).map(CpuMeter::processTicks)
                .orElse(OptionalLong.empty());
        return ticks.isPresent() ? OptionalDouble.of(ticks.getAsLong() / (double) ticksPerSecond) : OptionalDouble.empty();
    }

    /** Busy CPU seconds of the whole machine since boot, summed over all cores. */
    OptionalDouble machineBusySeconds() {
        OptionalLong ticks = read(proc.resolve("stat")).map(CpuMeter::machineBusyTicks).orElse(OptionalLong.empty());
        return ticks.isPresent() ? OptionalDouble.of(ticks.getAsLong() / (double) ticksPerSecond) : OptionalDouble.empty();
    }

    /**
     * utime + stime (fields 14 and 15) of a {@code /proc/<pid>/stat} line. Field 2, the command name in parentheses,
     * may itself contain spaces and ')', so the fields are counted from the last ')'; the first one after it is
     * field 3.
     */
    static OptionalLong processTicks(String stat) {
        int end = stat.lastIndexOf(')');
        if (end < 0) {
            return OptionalLong.empty();
        }
        String[] fields = stat.substring(end + 1).strip().split("\\s+");
        int utime = 14 - 3;
        int stime = 15 - 3;
        if (fields.length <= stime) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(fields[utime]) + Long.parseLong(fields[stime]));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Busy ticks of the aggregate {@code cpu} line of {@code /proc/stat}: user nice system idle iowait irq softirq
     * steal, minus idle and iowait. The guest columns after steal are left out because user and nice already
     * contain them.
     */
    static OptionalLong machineBusyTicks(String procStat) {
        for (String line : procStat.split("\n")) {
            String[] fields = line.strip().split("\\s+");
            if (!fields[0].equals("cpu")) {
                continue;
            }
            try {
                long total = 0;
                for (int i = 1; i < Math.min(fields.length, 9); i++) {
                    total += Long.parseLong(fields[i]);
                }
                long idle = fields.length > 4 ? Long.parseLong(fields[4]) : 0;
                long iowait = fields.length > 5 ? Long.parseLong(fields[5]) : 0;
                return OptionalLong.of(total - idle - iowait);
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    private static java.util.Optional<String> read(Path file) {
        try {
            return java.util.Optional.of(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty(); // the process has exited, or this is not Linux
        }
    }

    /** {@code getconf CLK_TCK}; 100, the value on practically every Linux, if it cannot be asked. */
    private static long readClockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            try (InputStream out = getconf.getInputStream()) {
                String text = new String(out.readAllBytes(), StandardCharsets.US_ASCII).strip();
                if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
                    long ticks = Long.parseLong(text);
                    return ticks > 0 ? ticks : 100;
                }
            }
            getconf.destroyForcibly();
        } catch (IOException | NumberFormatException e) {
            // no getconf (not Linux): the readings will be empty anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
