package io.sluice.config;

import static io.sluice.config.PipelineConfigTest.MINIMAL;
import static io.sluice.config.PipelineConfigTest.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** `sink.replication`, `sink.consistency`, `kafka.replication_factor` and `kafka.min_insync_replicas`. */
class ReplicationConfigTest {

    @Test
    void defaultsSuitTheOneNodeLocalStack() {
        PipelineConfig config = parse(MINIMAL, Map.of());

        assertThat(config.sinkReplication()).as("one replica: the local stack has one Cassandra node")
                .isEqualTo(KeyspaceReplication.simple(1));
        assertThat(config.sinkConsistency()).as("a majority of the local data center: 1 of 1 here").isEqualTo("LOCAL_QUORUM");
        assertThat(config.kafkaReplicationFactor()).isEqualTo(1);
        assertThat(config.kafkaMinInsyncReplicas()).isEqualTo(1);
    }

    @Test
    void clusterSettingsAreRead() {
        PipelineConfig config = parse(MINIMAL, Map.of("sink.replication", "NetworkTopologyStrategy:datacenter1=3,dc2=2",
                "kafka.replication_factor", "3", "kafka.min_insync_replicas", "2"));

        assertThat(config.sinkReplication().factors()).isEqualTo(Map.of("datacenter1", 3, "dc2", 2));
        assertThat(config.sinkReplication().replicasIn("datacenter1")).isEqualTo(3);
        assertThat(config.kafkaReplicationFactor()).isEqualTo(3);
        assertThat(config.kafkaMinInsyncReplicas()).isEqualTo(2);
    }

    @Test
    void theClusterPipelineAsksForThreeReplicasEverywhere() {
        PipelineConfig config = PipelineConfig.load(PipelineConfigTest.DEMO.resolveSibling("cluster-users.yaml"), Map.of());

        assertThat(config.sinkReplication()).isEqualTo(KeyspaceReplication.simple(3));
        assertThat(config.kafkaReplicationFactor()).isEqualTo(3);
        assertThat(config.kafkaMinInsyncReplicas()).isEqualTo(2);
        assertThat(config.kafkaBootstrapServers()).isEqualTo("127.0.0.1:9092,127.0.0.1:9192,127.0.0.1:9292");
        assertThat(config.cassandraContactPoints()).isEqualTo("127.0.0.1:9042,127.0.0.2:9042,127.0.0.3:9042");
    }

    @Test
    void simpleStrategyGivesTheCqlMapCassandraExpects() {
        assertThat(KeyspaceReplication.parse("SimpleStrategy:3").cql())
                .isEqualTo("{'class': 'SimpleStrategy', 'replication_factor': 3}");
        assertThat(KeyspaceReplication.parse(" NetworkTopologyStrategy: dc2=2, dc1=3 ").cql())
                .as("data centers in a stable order").isEqualTo("{'class': 'NetworkTopologyStrategy', 'dc1': 3, 'dc2': 2}");
        assertThat(KeyspaceReplication.parse("NetworkTopologyStrategy:dc2=2,dc1=3")).as("the config form round-trips")
                .hasToString("NetworkTopologyStrategy:dc1=3,dc2=2");
    }

    @Test
    void whatCassandraReportsComparesEqualToTheSameConfig() {
        KeyspaceReplication fromSchema = KeyspaceReplication.fromSchema(Map.of(
                "class", "org.apache.cassandra.locator.SimpleStrategy", "replication_factor", "3"));
        KeyspaceReplication nts = KeyspaceReplication.fromSchema(Map.of(
                "class", "org.apache.cassandra.locator.NetworkTopologyStrategy", "dc1", "3", "dc2", "2"));

        assertThat(fromSchema).isEqualTo(KeyspaceReplication.parse("SimpleStrategy:3"));
        assertThat(fromSchema).isNotEqualTo(KeyspaceReplication.parse("SimpleStrategy:1"));
        assertThat(nts).isEqualTo(KeyspaceReplication.parse("NetworkTopologyStrategy:dc1=3,dc2=2"));
        assertThat(nts).isNotEqualTo(KeyspaceReplication.parse("NetworkTopologyStrategy:dc1=3"));
    }

    @Test
    void aMissingStrategyIsRefusedWithTheForms() {
        assertProblem("sink.replication", "3", "must name a strategy and its factors: write SimpleStrategy:<factor>");
    }

    @Test
    void anUnknownStrategyIsRefused() {
        assertProblem("sink.replication", "LocalStrategy:1", "the strategy must be SimpleStrategy or NetworkTopologyStrategy");
    }

    @Test
    void aFactorOutOfRangeIsRefused() {
        assertProblem("sink.replication", "SimpleStrategy:0", "the replication factor must be a whole number from 1 to 32, not '0'");
    }

    @Test
    void everyProblemOfOneNetworkTopologyValueIsNamed() {
        assertThatThrownBy(() -> parse(MINIMAL, Map.of("sink.replication", "NetworkTopologyStrategy:dc1=x,dc1=3,dc2")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.getMessage())
                        .contains("the factor of dc1 must be a whole number from 1 to 32, not 'x'")
                        .contains("data center dc1 is named twice")
                        .contains("'dc2' is not <dc>=<factor>"));
    }

    @Test
    void networkTopologyWithoutDataCentersIsRefused() {
        assertProblem("sink.replication", "NetworkTopologyStrategy:", "needs at least one <dc>=<factor>");
    }

    @Test
    void noReplicaInTheLocalDataCenterIsRefused() {
        assertProblem("sink.replication", "NetworkTopologyStrategy:dc2=3",
                "keeps no replica in `cassandra.local_dc` (datacenter1), so every LOCAL_* write and read would fail");
    }

    @Test
    void aConsistencyTheReplicationCannotReachIsRefused() {
        assertThatThrownBy(() -> parse(MINIMAL, Map.of("sink.consistency", "THREE", "sink.replication", "SimpleStrategy:2")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.getMessage())
                        .contains("`sink.consistency` needs 3 replicas of each row, but `sink.replication` (SimpleStrategy:2) keeps 2"));
    }

    @Test
    void eachQuorumNeedsNetworkTopology() {
        assertProblem("sink.consistency", "EACH_QUORUM", "works only with NetworkTopologyStrategy");
    }

    @Test
    void minInsyncReplicasAboveTheReplicationFactorIsRefused() {
        assertThatThrownBy(() -> parse(MINIMAL, Map.of("kafka.replication_factor", "3", "kafka.min_insync_replicas", "4")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.getMessage())
                        .contains("`kafka.min_insync_replicas` must be at most `kafka.replication_factor` (3)"));
    }

    @Test
    void theReplacedKeyNamesItsSuccessor() {
        assertProblem("sink.replication_factor", "3", "was replaced by `sink.replication`: write `sink.replication: SimpleStrategy:<factor>`");
    }

    private static void assertProblem(String key, String value, String message) {
        assertThatThrownBy(() -> parse(MINIMAL, Map.of(key, value)))
                .as(key + "=" + value + " is refused")
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).extracting(ConfigProblem::key).containsExactly(key);
                    assertThat(e.getMessage()).contains(message);
                });
    }
}
