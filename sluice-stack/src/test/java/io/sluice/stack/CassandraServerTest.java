package io.sluice.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CassandraServerTest {

    private final CassandraServer cassandra = new CassandraServer()
            .withDataDir(Path.of("/tmp/stack")).withPort(19042).withStoragePort(17000);

    @Test
    void yamlDescribesASingleLoopbackNodeWithEveryDirectoryUnderTheDataDir() {
        String yaml = cassandra.cassandraYaml();

        assertThat(yaml).contains(
                "cluster_name: \"Sluice Local\"\n",
                "num_tokens: 16\n",
                "partitioner: org.apache.cassandra.dht.Murmur3Partitioner\n",
                "endpoint_snitch: SimpleSnitch\n",
                "commitlog_sync: periodic\n",
                "commitlog_sync_period: 10000ms\n",
                "listen_address: 127.0.0.1\n",
                "rpc_address: 127.0.0.1\n",
                "native_transport_port: 19042\n",
                "storage_port: 17000\n",
                "data_file_directories:\n  - \"/tmp/stack/cassandra/data/data\"\n",
                "commitlog_directory: \"/tmp/stack/cassandra/data/commitlog\"\n",
                "saved_caches_directory: \"/tmp/stack/cassandra/data/saved_caches\"\n",
                "hints_directory: \"/tmp/stack/cassandra/data/hints\"\n",
                "cdc_raw_directory: \"/tmp/stack/cassandra/data/cdc_raw\"\n");
    }

    @Test
    void seedIsThisNodesOwnStoragePort() {
        assertThat(cassandra.cassandraYaml()).contains("""
                seed_provider:
                  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
                    parameters:
                      - seeds: "127.0.0.1:17000"
                """);
    }

    @Test
    void cachesAreSmallForALaptop() {
        assertThat(cassandra.cassandraYaml()).contains("key_cache_size: 16MiB\n", "counter_cache_size: 4MiB\n",
                "row_cache_size: 0MiB\n");
    }

    @Test
    void settingsOverrideDefaultsInPlace() {
        String yaml = new CassandraServer().withSetting("num_tokens", "4").withSetting("concurrent_writes", "64")
                .cassandraYaml();

        assertThat(yaml).contains("num_tokens: 4\n", "concurrent_writes: 64\n").doesNotContain("num_tokens: 16");
    }

    @Test
    void jvmOptionsCarryTheJdk17ModuleFlagsAndPointAtOurFiles() {
        assertThat(cassandra.jvmOptions()).containsSubsequence("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED");
        assertThat(cassandra.jvmOptions()).containsSubsequence("--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED");
        assertThat(cassandra.jvmOptions()).contains(
                "-Dcassandra-foreground=yes",
                "-Dcassandra.config=file:///tmp/stack/cassandra/cassandra.yaml",
                "-Dcassandra.storagedir=/tmp/stack/cassandra/data",
                "-Dcassandra.skip_wait_for_gossip_to_settle=0");
    }

    @Test
    void jmxIsOffUnlessAskedFor() {
        assertThat(cassandra.jvmOptions()).noneMatch(option -> option.startsWith("-Dcassandra.jmx"));
        assertThat(cassandra.withJmxPort(17199).jvmOptions()).contains("-Dcassandra.jmx.local.port=17199");
    }

    @Test
    void connectionDetailsFollowThePort() {
        assertThat(cassandra.contactPoint()).isEqualTo(new InetSocketAddress("127.0.0.1", 19042));
        assertThat(cassandra.localDatacenter()).isEqualTo("datacenter1");
        assertThat(cassandra.address()).isEqualTo("127.0.0.1:19042");
    }

    @Test
    void pathsWithQuotesOrBackslashesStayValidYaml() {
        assertThat(CassandraYaml.quote("C:\\data \"x\"")).isEqualTo("\"C:\\\\data \\\"x\\\"\"");
    }
}
