package io.sluice.stack.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.stack.LaunchMode;
import io.sluice.stack.ServerStatus;
import io.sluice.stack.StopOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real master and two workers from the Maven-resolved Spark jars: start, kill, restart, and down from the data dir. */
class SparkStandaloneIT {
    @TempDir
    Path dataDir;

    @Test
    void masterAndTwoWorkersStartSurviveAKilledWorkerAndStopFromTheDataDirAlone() {
        SparkStandalone spark = new SparkStandalone().withDataDir(dataDir).withWorkers(2).withFreePorts()
                .withMode(LaunchMode.DETACHED);
        try {
            spark.start();
            assertThat(spark.master().aliveWorkers()).as("both workers registered with the master").isEqualTo(2);
            assertThat(spark.masterUrl()).startsWith("spark://127.0.0.1:");
            assertThat(Files.isSymbolicLink(spark.sparkHome().jars().resolve("spark-core_2.13-3.5.4.jar")))
                    .as("$SPARK_HOME/jars holds the resolved Spark jars").isTrue();
            assertThat(spark.status()).as("every node is listed, running and ready")
                    .extracting(ServerStatus::server, ServerStatus::running, ServerStatus::ready)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("spark-master", true, true),
                            org.assertj.core.groups.Tuple.tuple("spark-worker-1", true, true),
                            org.assertj.core.groups.Tuple.tuple("spark-worker-2", true, true));

            long killed = spark.worker(1).pid().orElseThrow();
            spark.kill(1);
            assertThat(ProcessHandle.of(killed).map(ProcessHandle::isAlive).orElse(false))
                    .as("the killed worker's JVM is gone").isFalse();
            assertThat(spark.worker(1).isRunning()).isFalse();

            spark.restart(1);
            assertThat(spark.worker(1).isReady()).as("the restarted worker registered again").isTrue();
        } finally {
            // A fresh object knows nothing but the data dir, as `sluice down` in another JVM.
            List<StopOutcome> stopped = new SparkStandalone().withDataDir(dataDir).withWorkers(2).down();
            assertThat(stopped).as("down() found and stopped the master and both workers from their pid files")
                    .allMatch(StopOutcome::wasRunning).hasSize(3);
        }
        assertThat(spark.status()).noneMatch(ServerStatus::running);
    }
}
