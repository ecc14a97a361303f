package io.sluice.config;

import java.util.List;
import java.util.Map;

/**
 * Rules that tie replication to the consistency and data center asked for: a write that can never reach its
 * consistency level is refused at load, not after the first micro-batch failed with {@code UnavailableException}.
 */
final class ReplicationKeyRules {
    /** Replicas a write must reach, for the levels that name a fixed number. */
    private static final Map<String, Integer> FIXED_REPLICAS = Map.of("TWO", 2, "THREE", 3);

    private ReplicationKeyRules() {
    }

    static void check(PipelineConfig config, List<ConfigProblem> problems) {
        checkKafka(config, problems);
        KeyspaceReplication replication;
        try {
            replication = config.sinkReplication();
        } catch (IllegalArgumentException e) {
            return; // reported by the key's own validator
        }
        String consistency = config.sinkConsistency();
        Integer needed = FIXED_REPLICAS.get(consistency);
        if (needed != null && replication.totalReplicas() < needed) {
            problems.add(new ConfigProblem("sink.consistency", consistency, "needs " + needed + " replicas of each row, but "
                    + "`sink.replication` (" + replication + ") keeps " + replication.totalReplicas()
                    + "; lower the consistency (LOCAL_QUORUM) or raise the replication"));
        }
        if (consistency.equals("EACH_QUORUM") && replication.isSimple()) {
            problems.add(new ConfigProblem("sink.consistency", consistency, "works only with NetworkTopologyStrategy, but "
                    + "`sink.replication` is " + replication + "; use LOCAL_QUORUM or QUORUM"));
        }
        String localDc = config.cassandraLocalDc();
        if (!replication.isSimple() && replication.replicasIn(localDc) == 0) {
            problems.add(new ConfigProblem("sink.replication", replication.toString(), "keeps no replica in `cassandra.local_dc` ("
                    + localDc + "), so every LOCAL_* write and read would fail; add " + localDc + "=<factor> or fix "
                    + "`cassandra.local_dc`"));
        }
    }

    private static void checkKafka(PipelineConfig config, List<ConfigProblem> problems) {
        int minIsr = config.kafkaMinInsyncReplicas();
        int replicationFactor = config.kafkaReplicationFactor();
        if (minIsr > replicationFactor) {
            problems.add(new ConfigProblem("kafka.min_insync_replicas", minIsr, "must be at most `kafka.replication_factor` ("
                    + replicationFactor + "), or no acks=all write to the topic could ever succeed"));
        }
    }
}
