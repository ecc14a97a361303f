package io.sluice.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the cluster stack configures its nodes, and the checks made before anything is launched. No server starts here. */
class ClusterStackTest {

    @TempDir
    Path dataDir;

    private ClusterStack cluster() {
        return new ClusterStack().withDataDir(dataDir);
    }

    @Test
    void theBrokersShareOneVoterListAndEachHasItsOwnIdPortsAndDirectory() throws IOException {
        ClusterStack stack = cluster();

        assertThat(stack.kafkaBootstrap()).isEqualTo("127.0.0.1:9092,127.0.0.1:9192,127.0.0.1:9292");
        for (int i = 0; i < ClusterStack.NODES; i++) {
            KafkaServer node = stack.kafkaNodes().get(i);
            Properties p = new Properties();
            p.load(new StringReader(node.serverProperties()));
            assertThat(p.getProperty("node.id")).isEqualTo(String.valueOf(i + 1));
            assertThat(p.getProperty("controller.quorum.voters"))
                    .isEqualTo("1@127.0.0.1:9093,2@127.0.0.1:9193,3@127.0.0.1:9293");
            assertThat(p.getProperty("log.dirs")).isEqualTo(dataDir.resolve("kafka-" + (i + 1)).resolve("data").toString());
            assertThat(p.getProperty("offsets.topic.replication.factor")).as("Kafka's own topics are replicated 3 times").isEqualTo("3");
            assertThat(p.getProperty("transaction.state.log.min.isr")).isEqualTo("2");
            assertThat(node.heap()).isEqualTo(ClusterStack.KAFKA_HEAP);
        }
    }

    @Test
    void theCassandraNodesShareTheirPortsAndSeedAndDifferByAddressJmxAndDirectory() {
        ClusterStack stack = cluster();

        assertThat(stack.cassandraContactPoints()).isEqualTo("127.0.0.1:9042,127.0.0.2:9042,127.0.0.3:9042");
        for (int i = 0; i < ClusterStack.NODES; i++) {
            CassandraServer node = stack.cassandraNodes().get(i);
            String ip = "127.0.0." + (i + 1);
            assertThat(node.cassandraYaml()).contains(
                    "listen_address: " + ip + "\n", "rpc_address: " + ip + "\n",
                    "- seeds: \"127.0.0.1:7000\"\n",
                    "commitlog_directory: \"" + dataDir.resolve("cassandra-" + (i + 1)) + "/data/commitlog\"\n",
                    "hints_directory: \"" + dataDir.resolve("cassandra-" + (i + 1)) + "/data/hints\"\n",
                    "concurrent_writes: 8\n");
            assertThat(node.jmxPort()).isEqualTo(7100 + 100 * i);
            assertThat(node.heap()).isEqualTo(ClusterStack.CASSANDRA_HEAP);
        }
    }

    @Test
    void nodesAreListedByNameAndUnknownNamesAreRefusedWithTheList() {
        ClusterStack stack = cluster();

        assertThat(stack.nodes()).extracting(ClusterNode::name)
                .containsExactly("kafka-1", "kafka-2", "kafka-3", "cassandra-1", "cassandra-2", "cassandra-3");
        assertThat(stack.nodes()).as("nothing runs yet").noneMatch(ClusterNode::alive);
        assertThatThrownBy(() -> stack.kill("kafka-4"))
                .isInstanceOf(StackException.class)
                .hasMessage("There is no node called `kafka-4` in this stack; its nodes are kafka-1, kafka-2, kafka-3, "
                        + "cassandra-1, cassandra-2, cassandra-3.");
    }

    @Test
    void anAddedServerJoinsTheNodeListWithTheStacksDataDir() {
        KafkaServer extra = new KafkaServer("extra-1");
        ClusterStack stack = cluster().withAddedServer(extra);

        assertThat(stack.nodes()).extracting(ClusterNode::name).endsWith("extra-1");
        assertThat(extra.directory()).isEqualTo(dataDir.toAbsolutePath().resolve("extra-1"));
    }

    @Test
    void aPortTakenOnASecondLoopbackAddressIsReportedBeforeAnythingStarts() throws IOException {
        int cql = Ports.findFree();
        // Free Kafka and JMX ports too: a stack running on this machine must not answer for the port under test.
        ClusterStack stack = cluster().withCassandraPorts(cql, Ports.findFree())
                .withKafkaPorts(new int[] {Ports.findFree(), Ports.findFree(), Ports.findFree()},
                        new int[] {Ports.findFree(), Ports.findFree(), Ports.findFree()})
                .withJmxPorts(new int[] {Ports.findFree(), Ports.findFree(), Ports.findFree()});
        try (ServerSocket taken = new ServerSocket(cql, 1, InetAddress.getByName("127.0.0.2"))) {
            assertThatThrownBy(stack::start)
                    .isInstanceOf(PortInUseException.class)
                    .hasMessageContaining("Port " + cql + " on 127.0.0.2 is already in use, but cassandra-2 needs it for its CQL native transport");
        }
        assertThat(stack.nodes()).as("nothing was launched").noneMatch(ClusterNode::alive);
    }

    @Test
    void twoNodesOnOnePortAreRefused() {
        ClusterStack stack = cluster().withKafkaPorts(new int[] {19092, 19092, 19292}, new int[] {19093, 19193, 19293});

        assertThatThrownBy(stack::start).isInstanceOf(StackException.class)
                .hasMessage("kafka-1's broker listener port and kafka-2's broker listener port are both set to 19092; "
                        + "give them different ports.");
    }

    @Test
    void theDataDirTellsWhetherItHoldsACluster() throws IOException {
        assertThat(ClusterStack.existsIn(dataDir)).isFalse();
        Files.createDirectories(dataDir.resolve("cassandra-2"));
        assertThat(ClusterStack.existsIn(dataDir)).isTrue();
    }

    @Test
    void aSingleServersDirectoryDoesNotClaimANodesProcess() {
        KafkaServer single = new KafkaServer().withDataDir(dataDir);
        String nodeCommandLine = "java kafka.Kafka " + dataDir.toAbsolutePath().resolve("kafka-2").resolve("server.properties");

        assertThat(single.isOurCommandLine(nodeCommandLine)).as(".../kafka is not .../kafka-2").isFalse();
        assertThat(new KafkaServer("kafka-2").withDataDir(dataDir).isOurCommandLine(nodeCommandLine)).isTrue();
    }
}
