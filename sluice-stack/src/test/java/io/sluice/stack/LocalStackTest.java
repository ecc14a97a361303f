package io.sluice.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackTest {

    @TempDir
    Path dataDir;

    @Test
    void bothServersLiveUnderTheStacksDataDir() {
        LocalStack stack = new LocalStack().withDataDir(dataDir);

        assertThat(stack.kafka().directory()).isEqualTo(dataDir.resolve("kafka"));
        assertThat(stack.cassandra().directory()).isEqualTo(dataDir.resolve("cassandra"));
        assertThat(stack.cassandra().configFile()).isEqualTo(dataDir.resolve("cassandra/cassandra.yaml"));
        assertThat(stack.cassandra().pidFile()).isEqualTo(dataDir.resolve("cassandra/cassandra.pid"));
    }

    @Test
    void theSamePortForKafkaAndCassandraIsRejectedBeforeLaunch() {
        LocalStack stack = new LocalStack().withDataDir(dataDir).withKafkaPort(19000).withCassandraPort(19000);

        assertThatThrownBy(stack::start)
                .isInstanceOf(StackException.class)
                .hasMessage("Kafka's broker listener port and Cassandra's CQL native transport port are both set to 19000;"
                        + " give them different ports.");
    }

    @Test
    void modeAppliesToBothServers() {
        LocalStack stack = new LocalStack().withMode(LaunchMode.DETACHED);

        assertThat(stack.kafka().mode()).isEqualTo(LaunchMode.DETACHED);
        assertThat(stack.cassandra().mode()).isEqualTo(LaunchMode.DETACHED);
    }

    @Test
    void statusOfAStackThatWasNeverStartedIsStopped() {
        LocalStack stack = new LocalStack().withDataDir(dataDir).withKafkaPort(19092).withCassandraPort(19042);

        assertThat(stack.status()).extracting(Object::toString)
                .containsExactly("Kafka: stopped (127.0.0.1:19092)", "Cassandra: stopped (127.0.0.1:19042)");
    }

    @Test
    void anotherJvmReadsTheAddressesFromTheWrittenConfigFiles() throws Exception {
        LocalStack upped = new LocalStack().withDataDir(dataDir).withKafkaPort(29092).withCassandraPort(29042);
        java.nio.file.Files.createDirectories(upped.kafka().directory());
        java.nio.file.Files.writeString(upped.kafka().configFile(), upped.kafka().serverProperties());
        upped.cassandra().prepare("");

        LocalStack fresh = new LocalStack().withDataDir(dataDir); // default ports, as `sluice status` starts

        assertThat(fresh.kafka().addressFromConfigFile()).hasValue("127.0.0.1:29092");
        assertThat(fresh.cassandra().addressFromConfigFile()).hasValue("127.0.0.1:29042");
    }
}
