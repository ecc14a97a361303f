package io.sluice.cli.commands;

import io.sluice.stack.ClusterStack;
import io.sluice.stack.spark.SparkStandalone;
import io.sluice.stack.LaunchMode;
import io.sluice.stack.LocalStack;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the local stack lives and listens; shared by every command that touches it. */
public final class StackOptions {
    @Option(names = "--data-dir", defaultValue = ".sluice", description = "Data, logs, pid files and checkpoints (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--kafka-port", defaultValue = "9092", description = {"Kafka broker port on 127.0.0.1 (default: ${DEFAULT-VALUE}).",
            "With --nodes 3: the first broker's; the others use +100 and +200, each controller the port above its broker's."})
    int kafkaPort;

    @Option(names = "--cassandra-port", defaultValue = "9042", description = {"Cassandra CQL port on 127.0.0.1 (default: ${DEFAULT-VALUE}).",
            "With --nodes 3: the same port on 127.0.0.1, 127.0.0.2 and 127.0.0.3."})
    int cassandraPort;

    @Option(names = "--secure", description = {"Kafka with SASL_SSL/SCRAM and Cassandra with passwords and TLS: certificates "
            + "(keytool) and credentials under <data dir>/secure/. A data dir secured once stays secured."})
    boolean secure;

    public Path dataDir() {
        return dataDir.toAbsolutePath().normalize();
    }

    /** The three-broker, three-node stack with a Spark master and two workers ({@code sluice up --nodes 3}) under the same data dir, ports counted from ours. */
    public ClusterStack cluster(LaunchMode mode) {
        return new ClusterStack().withDataDir(dataDir()).withMode(mode)
                .withKafkaPorts(kafkaPort)
                .withCassandraPorts(cassandraPort, storagePort())
                .withSpark(new SparkStandalone().withWorkers(2));
    }

    private int storagePort() {
        return cassandraPort == 9042 ? 7000 : cassandraPort + 1;
    }

    public LocalStack stack(LaunchMode mode) {
        return new LocalStack().withDataDir(dataDir()).withMode(mode)
                .withKafkaPort(kafkaPort).withKafkaControllerPort(kafkaPort + 1)
                .withCassandraPort(cassandraPort).withCassandraStoragePort(storagePort())
                .withSecurity(secure);
    }
}
