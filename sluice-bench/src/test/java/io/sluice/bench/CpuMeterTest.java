package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sluice.bench.BenchResults.CpuUse;
import io.sluice.bench.BenchResults.JvmCpu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuMeterTest {
    /** A command name with spaces and ')' in it: a parser that splits on spaces or the first ')' miscounts fields. */
    private static final String ODD_NAME = "(java (main) x) y)";

    @TempDir
    Path proc;

    private static String stat(long pid, long utime, long stime) {
        // fields 3..13: state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt; 14 utime, 15 stime;
        // then cutime cstime (children's, not this process's) and the rest.
        return pid + " " + ODD_NAME + " S 1 2 3 0 -1 4194560 100 0 0 0 " + utime + " " + stime + " 777 888 20 0 40 0 "
                + "12345 3133440 390\n";
    }

    private static String procStat(long user, long nice, long system, long idle, long iowait, long irq, long softirq,
                                   long steal) {
        return "cpu  " + user + " " + nice + " " + system + " " + idle + " " + iowait + " " + irq + " " + softirq + " "
                + steal + " 50 60\n"
                + "cpu0 1 2 3 4 5 6 7 8 0 0\n"
                + "intr 12345\n";
    }

    private void writeStat(long pid, long utime, long stime) throws IOException {
        Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(proc.resolve(pid + "/stat"), stat(pid, utime, stime));
    }

    @Test
    void processTicksAreUtimePlusStimeCountedFromTheLastParenthesis() {
        assertThat(CpuMeter.processTicks(stat(42, 1500, 250))).as("utime + stime of a process named %s", ODD_NAME)
                .hasValue(1750);
    }

    @Test
    void aStatLineThatIsCutShortOrGarbledGivesNoReading() {
        assertThat(CpuMeter.processTicks("42 (java) S 1 2 3")).as("a line cut before utime").isEmpty();
        assertThat(CpuMeter.processTicks("no parenthesis at all")).as("a line without the command name").isEmpty();
        assertThat(CpuMeter.processTicks("42 (java) S 1 2 3 0 -1 4 5 6 7 8 x y")).as("non-numeric times").isEmpty();
    }

    @Test
    void machineBusyIsTheAggregateCpuLineMinusIdleAndIowaitWithoutTheGuestColumns() {
        // 100 + 5 + 40 + 1000 + 20 + 3 + 7 + 2 = 1177 in all; minus idle 1000 and iowait 20; guest 50/60 not again.
        assertThat(CpuMeter.machineBusyTicks(procStat(100, 5, 40, 1000, 20, 3, 7, 2))).hasValue(157);
        assertThat(CpuMeter.machineBusyTicks("intr 1 2 3\n")).as("no cpu line").isEmpty();
    }

    @Test
    void readingsAreSecondsAtTheClockRate() throws IOException {
        writeStat(42, 1500, 250);
        Files.writeString(proc.resolve("stat"), procStat(100, 5, 40, 1000, 20, 3, 7, 2));
        CpuMeter meter = new CpuMeter(proc, 100);

        assertThat(meter.processSeconds(42)).hasValue(17.5);
        assertThat(meter.machineBusySeconds()).hasValue(1.57);
        assertThat(meter.processSeconds(43)).as("a process that is not (or no longer) there").isEmpty();
        assertThat(new CpuMeter(proc.resolve("missing"), 100).machineBusySeconds()).as("no /proc at all").isEmpty();
    }

    @Test
    void aWindowChargesEachJvmItsCpuBetweenOpenAndFinishPerRow() throws IOException {
        writeStat(10, 1000, 200);
        writeStat(20, 50, 50);
        Files.writeString(proc.resolve("stat"), procStat(100, 0, 0, 1000, 0, 0, 0, 0));
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put(CpuLedger.CASSANDRA, 10L);
        pids.put(CpuLedger.BENCH, 20L);
        pids.put(CpuLedger.KAFKA, 30L); // never readable: left out, not reported as zero

        CpuUse use;
        try (CpuWindow window = new CpuWindow(new CpuMeter(proc, 100), pids)) {
            writeStat(10, 1500, 300); // +6 s
            writeStat(20, 60, 50);    // +0.1 s
            Files.writeString(proc.resolve("stat"), procStat(800, 0, 0, 1100, 0, 0, 0, 0));
            use = window.finish("a stage", 20_000);
        }

        assertThat(use.stage()).isEqualTo("a stage");
        assertThat(use.rows()).isEqualTo(20_000);
        assertThat(use.jvms()).as("JVMs with readings, in the order given").containsOnlyKeys(CpuLedger.CASSANDRA,
                CpuLedger.BENCH);
        JvmCpu cassandra = use.jvms().get(CpuLedger.CASSANDRA);
        assertThat(cassandra.cpuSeconds()).isCloseTo(6.0, within(1e-9));
        assertThat(cassandra.microsPerRow()).as("6 s over 20,000 rows").isCloseTo(300, within(1e-6));
        assertThat(cassandra.exitedBeforeEnd()).isFalse();
        assertThat(use.jvms().get(CpuLedger.BENCH).microsPerRow()).isCloseTo(5, within(1e-6));
        assertThat(use.machineBusyCores()).as("machine busy: 7 s of CPU over the window").isNotNull().isPositive();
    }

    @Test
    void aJvmThatExitsInsideTheWindowKeepsItsLastReading() throws IOException {
        writeStat(10, 100, 0);
        CpuUse use;
        try (CpuWindow window = new CpuWindow(new CpuMeter(proc, 100), Map.of(CpuLedger.ENGINE, 10L))) {
            writeStat(10, 400, 100);
            window.sample();
            Files.delete(proc.resolve("10/stat")); // the job drained its backlog and exited
            use = window.finish("a drain", 1000);
        }
        JvmCpu spark = use.jvms().get(CpuLedger.ENGINE);
        assertThat(spark.exitedBeforeEnd()).as("marked as counted up to its last reading").isTrue();
        assertThat(spark.cpuSeconds()).as("4 s up to the last reading").isCloseTo(4.0, within(1e-9));
        assertThat(use.machineBusyCores()).as("no /proc/stat in this fake tree").isNull();
    }

    @Test
    void theLedgerKeepsOnlyStagesWithReadings() {
        CpuLedger ledger = new CpuLedger(new CpuMeter(proc.resolve("missing"), 100));
        ledger.watch(CpuLedger.CASSANDRA, 10);
        ledger.watch(CpuLedger.KAFKA, -1);
        try (CpuWindow window = ledger.open()) {
            ledger.record(CpuLedger.CEILING, window.finish("ceiling", 10));
        }
        assertThat(ledger.byStage()).as("off Linux nothing is read, so nothing is reported").isEmpty();
    }
}
