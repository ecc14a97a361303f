package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.KeyspaceReplication;
import org.junit.jupiter.api.Test;

class KeyspaceProvisionerTest {

    @Test
    void theMismatchNamesTheKeyspaceWhatItHasWhatTheConfigAsksAndTheFix() {
        assertThat(KeyspaceProvisioner.mismatch("spark_streams", KeyspaceReplication.simple(1), KeyspaceReplication.parse("SimpleStrategy:3")))
                .isEqualTo("Keyspace spark_streams already exists with replication SimpleStrategy:1, but `sink.replication` is "
                        + "SimpleStrategy:3; Sluice leaves it as it is. To change it: ALTER KEYSPACE spark_streams WITH "
                        + "replication = {'class': 'SimpleStrategy', 'replication_factor': 3}, then run a full repair.");
    }
}
