package io.sluice.stack.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkDaemonTest {

    @Test
    void masterRunsOnTheUsualPortsUnderItsOwnDirectory() {
        SparkMaster master = new SparkMaster().withDataDir(Path.of("/tmp/stack"));

        assertThat(master.name()).isEqualTo("spark-master");
        assertThat(master.heap()).isEqualTo("256m");
        assertThat(master.address()).isEqualTo("spark://127.0.0.1:7077");
        assertThat(master.masterUrl()).isEqualTo("spark://127.0.0.1:7077");
        assertThat(master.webUiUrl()).isEqualTo("http://127.0.0.1:8080/");
        assertThat(master.logFile()).isEqualTo(Path.of("/tmp/stack/spark-master/spark-master.log"));
        assertThat(master.pidFile()).isEqualTo(Path.of("/tmp/stack/spark-master/spark-master.pid"));
        assertThat(master.configFile()).isEqualTo(Path.of("/tmp/stack/spark-master/master.properties"));
        assertThat(master.sparkHome().root()).isEqualTo(Path.of("/tmp/stack/spark-home"));
        assertThat(String.valueOf(master.ports())).isEqualTo("[PortUse[host=127.0.0.1, port=7077, purpose=master port], "
                + "PortUse[host=127.0.0.1, port=8080, purpose=master web UI]]");
        assertThat(master.readinessQuery()).isEqualTo("GET http://127.0.0.1:8080/json/ (status ALIVE)");
    }

    @Test
    void masterCommandLineNamesHostAndPorts() {
        SparkMaster master = new SparkMaster().withPort(17077).withWebUiPort(18080);

        assertThat(master.mainClass()).isEqualTo("org.apache.spark.deploy.master.Master");
        assertThat(master.jvmOptions()).containsExactly("-Djava.awt.headless=true");
        assertThat(master.mainArgs()).containsExactly("--host", "127.0.0.1", "--port", "17077", "--webui-port", "18080");
    }

    @Test
    void workerPortsFollowItsNumberAndItsArgumentsFollowThePorts() {
        SparkWorker worker = new SparkWorker(2).withDataDir(Path.of("/tmp/stack"))
                .withMasterUrl("spark://127.0.0.1:17077").withCores(2).withMemory("768m");

        assertThat(worker.name()).isEqualTo("spark-worker-2");
        assertThat(worker.heap()).isEqualTo("256m");
        assertThat(worker.address()).isEqualTo("127.0.0.1:7079");
        assertThat(worker.webUiPort()).isEqualTo(8082);
        assertThat(worker.logFile()).isEqualTo(Path.of("/tmp/stack/spark-worker-2/spark-worker-2.log"));
        assertThat(worker.configFile()).isEqualTo(Path.of("/tmp/stack/spark-worker-2/worker.properties"));
        assertThat(String.valueOf(worker.ports())).isEqualTo("[PortUse[host=127.0.0.1, port=7079, purpose=worker port], "
                + "PortUse[host=127.0.0.1, port=8082, purpose=worker web UI]]");
        assertThat(worker.mainClass()).isEqualTo("org.apache.spark.deploy.worker.Worker");
        assertThat(worker.jvmOptions()).containsExactly("-Djava.awt.headless=true");
        assertThat(worker.mainArgs()).containsExactly("--host", "127.0.0.1", "--port", "7079", "--webui-port", "8082",
                "--cores", "2", "--memory", "768m", "--work-dir", "/tmp/stack/spark-worker-2/work", "spark://127.0.0.1:17077");
        assertThat(worker.readinessQuery())
                .isEqualTo("GET http://127.0.0.1:8082/json/ (registered with spark://127.0.0.1:17077)");
        assertThat(worker.environment()).containsEntry("SPARK_HOME", "/tmp/stack/spark-home")
                .containsEntry("SPARK_SCALA_VERSION", SparkHome.SCALA_VERSION).containsEntry("SPARK_LOCAL_IP", "127.0.0.1");
    }

    @Test
    void workerNumbersStartAtOne() {
        assertThatThrownBy(() -> new SparkWorker(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("worker numbers start at 1, got 0");
    }

    @Test
    void prepareRecordsThePortsThatStatusReadsBackFromAnotherJvm(@TempDir Path dataDir) throws Exception {
        String classpath = "/nowhere/spark-core_2.13-3.5.4.jar";
        SparkMaster master = new SparkMaster().withDataDir(dataDir).withPort(17077).withWebUiPort(18080);
        SparkWorker worker = new SparkWorker(1).withDataDir(dataDir).withPort(17078).withWebUiPort(18081)
                .withMasterUrl(master.masterUrl());
        Files.createDirectories(master.directory());
        Files.createDirectories(worker.directory());

        master.prepare(classpath);
        worker.prepare(classpath);

        assertThat(Files.readString(master.configFile())).isEqualTo(
                "# Written by Sluice: the ports this master was started with.\nport=17077\nwebUiPort=18080\n");
        assertThat(Files.readString(worker.configFile())).isEqualTo("# Written by Sluice: how this worker was started.\n"
                + "port=17078\nwebUiPort=18081\nmaster=spark://127.0.0.1:17077\ncores=1\nmemory=1g\n");
        assertThat(Files.isDirectory(worker.workDirectory())).isTrue();
        assertThat(Files.isSymbolicLink(master.sparkHome().jars().resolve("spark-core_2.13-3.5.4.jar"))).isTrue();
        // What a fresh JVM, configured with the default ports, reports for them:
        assertThat(new SparkMaster().withDataDir(dataDir).addressFromConfigFile()).contains("spark://127.0.0.1:17077");
        assertThat(new SparkWorker(1).withDataDir(dataDir).addressFromConfigFile()).contains("127.0.0.1:17078");
        assertThat(new SparkWorker(2).withDataDir(dataDir).addressFromConfigFile()).isEmpty();
        assertThat(List.of(master, worker)).allMatch(daemon -> !daemon.isRunning());
    }
}
