package io.sluice.stack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A minimal cassandra.yaml for a single Cassandra 5.0 node on 127.0.0.1, every directory under one
 * storage dir. Values are kept as YAML text so a caller can override any key with any YAML value.
 */
final class CassandraYaml {

    private CassandraYaml() {
    }

    static Map<String, String> defaults(String clusterName, String address, int nativePort, int storagePort, String seeds,
                                        Path storageDir) {
        Map<String, String> y = new LinkedHashMap<>();
        y.put("cluster_name", quote(clusterName));
        y.put("num_tokens", "16");
        y.put("partitioner", "org.apache.cassandra.dht.Murmur3Partitioner");
        y.put("endpoint_snitch", "SimpleSnitch");
        y.put("seed_provider", "\n"
                + "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider\n"
                + "    parameters:\n"
                + "      - seeds: " + quote(seeds));
        y.put("listen_address", address);
        y.put("rpc_address", address);
        y.put("storage_port", String.valueOf(storagePort));
        y.put("native_transport_port", String.valueOf(nativePort));
        y.put("start_native_transport", "true");
        y.put("data_file_directories", "\n  - " + quote(storageDir.resolve("data").toString()));
        y.put("commitlog_directory", quote(storageDir.resolve("commitlog").toString()));
        y.put("saved_caches_directory", quote(storageDir.resolve("saved_caches").toString()));
        y.put("hints_directory", quote(storageDir.resolve("hints").toString()));
        y.put("cdc_raw_directory", quote(storageDir.resolve("cdc_raw").toString()));
        y.put("commitlog_sync", "periodic");
        y.put("commitlog_sync_period", "10000ms");
        // A laptop-sized node next to Kafka and Spark: small caches, one compactor.
        y.put("key_cache_size", "16MiB");
        y.put("counter_cache_size", "4MiB");
        y.put("row_cache_size", "0MiB");
        y.put("file_cache_size", "64MiB");
        y.put("networking_cache_size", "32MiB");
        y.put("index_summary_capacity", "8MiB");
        y.put("concurrent_compactors", "1");
        // A local stack is thrown away, not backed up: snapshots on DROP/TRUNCATE only fill the disk.
        y.put("auto_snapshot", "false");
        return y;
    }

    /** PasswordAuthenticator (superuser cassandra/cassandra at first start) and TLS-only client connections. */
    static Map<String, String> secured(StackSecurity security) {
        Map<String, String> y = new LinkedHashMap<>();
        y.put("authenticator", "\n  class_name: org.apache.cassandra.auth.PasswordAuthenticator");
        y.put("client_encryption_options", "\n"
                + "  enabled: true\n"
                + "  optional: false\n"
                + "  keystore: " + quote(security.serverKeystore().toString()) + "\n"
                + "  keystore_password: " + quote(security.serverSecret("store.password")) + "\n"
                + "  store_type: PKCS12");
        return y;
    }

    static String render(Map<String, String> settings) {
        StringBuilder out = new StringBuilder("# Written by Sluice on every start; edit the launcher settings instead.\n");
        settings.forEach((key, value) -> {
            out.append(key).append(':');
            out.append(value.startsWith("\n") ? "" : " ").append(value).append('\n');
        });
        return out.toString();
    }

    /** Double-quoted YAML scalar, safe for paths and names with spaces or colons. */
    static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
