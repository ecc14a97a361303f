package io.sluice.config;

import static io.sluice.config.PipelineConfigTest.MINIMAL;
import static io.sluice.config.PipelineConfigTest.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityConfigTest {
    private static final String SECRET = "s3cr3t-Value-42";

    @TempDir
    Path dir;

    private Map<String, String> saslSsl(Path truststore) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("kafka.security.protocol", "SASL_SSL");
        o.put("kafka.sasl.mechanism", "SCRAM-SHA-512");
        o.put("kafka.sasl.username", "sluice");
        o.put("kafka.sasl.password", SECRET);
        o.put("kafka.ssl.truststore.location", truststore.toString());
        o.put("kafka.ssl.truststore.password", SECRET);
        return o;
    }

    private Path fakeStore() throws IOException {
        Path store = dir.resolve("truststore.p12");
        Files.write(store, new byte[] {0x30, 0x01, 0x02, 0x03});
        return store;
    }

    @Test
    void passwordsPrintAsHidden() {
        Password password = new Password(SECRET);
        assertThat(password.toString()).as("a password must never print its value").isEqualTo("[hidden]");
        assertThat(String.valueOf(List.of(password))).doesNotContain(SECRET);
        assertThat(password.value()).isEqualTo(SECRET);
    }

    @Test
    void everyKafkaClientGetsTheSameSecuritySettings() throws IOException {
        PipelineConfig config = parse(MINIMAL, saslSsl(fakeStore()));
        Map<String, Object> props = KafkaClientProperties.of(config);
        assertThat(props).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.type", "PKCS12").containsEntry("ssl.truststore.password", SECRET);
        assertThat((String) props.get("sasl.jaas.config"))
                .isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"sluice\" password=\""
                        + SECRET + "\";");
        assertThat(KafkaClientProperties.sparkOptions(config))
                .as("Spark's Kafka source takes the same settings with a kafka. prefix")
                .containsEntry("kafka.security.protocol", "SASL_SSL")
                .containsEntry("kafka.bootstrap.servers", "127.0.0.1:9092")
                .containsEntry("kafka.sasl.jaas.config", (String) props.get("sasl.jaas.config"));
    }

    @Test
    void passThroughPropertiesWinAndWorkFromTheCommandLine() {
        PipelineConfig config = parse(MINIMAL + "kafka:\n  properties: {client.dns.lookup: use_all_dns_ips}\n",
                Map.of("kafka.properties.security.protocol", "SSL", "stream.spark_conf.spark.executor.memory", "2g"));
        assertThat(KafkaClientProperties.of(config)).containsEntry("client.dns.lookup", "use_all_dns_ips")
                .containsEntry("security.protocol", "SSL");
        assertThat(config.streamSparkConf()).containsEntry("spark.executor.memory", "2g");
    }

    @Test
    void saslWithoutCredentialsNamesBothKeys() {
        assertThatThrownBy(() -> parse(MINIMAL, Map.of("kafka.security.protocol", "SASL_SSL")))
                .hasMessageContaining("`kafka.sasl.username` is required because `kafka.security.protocol` is SASL_SSL")
                .hasMessageContaining("`kafka.sasl.password` is required");
    }

    @Test
    void aMissingTruststoreIsRefusedAtLoad() {
        Map<String, String> o = saslSsl(dir.resolve("nope.p12"));
        assertThatThrownBy(() -> parse(MINIMAL, o)).hasMessageContaining("`kafka.ssl.truststore.location` must name a readable");
    }

    @Test
    void aBadPasswordValueIsNeverEchoed() {
        Map<String, Object> flat = new LinkedHashMap<>();
        flat.put("cassandra.password", List.of(SECRET));
        List<ConfigProblem> problems = new ArrayList<>();
        PipelineConfig.DEFINITION.parse(flat, problems);
        assertThat(problems).filteredOn(p -> p.key().equals("cassandra.password"))
                .as("a problem with a password key must not show the value").hasSize(1)
                .allSatisfy(p -> assertThat(p.toString()).doesNotContain(SECRET).contains("[hidden]"));
    }

    @Test
    void cassandraSettingsComeFromOnePlace() throws IOException {
        Path store = fakeStore();
        PipelineConfig config = parse(MINIMAL, Map.of("cassandra.contact_points", "10.0.0.1:9142,10.0.0.2:9043",
                "cassandra.username", "sluice", "cassandra.password", SECRET, "cassandra.ssl.enabled", "true",
                "cassandra.ssl.truststore.path", store.toString(), "cassandra.ssl.truststore.password", SECRET));
        CassandraConnection c = config.cassandraConnection();
        assertThat(c.contactPoints()).containsExactly(new CassandraConnection.HostPort("10.0.0.1", 9142),
                new CassandraConnection.HostPort("10.0.0.2", 9043));
        assertThat(CassandraConnection.parseContactPoints("db1")).as("a contact point without a port uses 9042")
                .containsExactly(new CassandraConnection.HostPort("db1", 9042));
        assertThat(c.toString()).as("the connection prints without its secrets").doesNotContain(SECRET);
        assertThat(c.sparkConnectorConf()).containsEntry("spark.cassandra.auth.username", "sluice")
                .containsEntry("spark.cassandra.auth.password", SECRET)
                .containsEntry("spark.cassandra.connection.ssl.enabled", "true")
                .containsEntry("spark.cassandra.connection.ssl.trustStore.type", "PKCS12")
                .containsEntry("spark.cassandra.connection.port", "9142");
    }

    @Test
    void cassandraUserWithoutPasswordIsRefused() {
        assertThatThrownBy(() -> parse(MINIMAL, Map.of("cassandra.username", "sluice")))
                .hasMessageContaining("`cassandra.password` is required because `cassandra.username` is set");
    }

    @Test
    void referencesResolveFromEnvironmentAndFiles() throws IOException {
        Path secretFile = dir.resolve("kafka.password");
        Files.writeString(secretFile, SECRET + "\n");
        Path credentials = dir.resolve("credentials.properties");
        Files.writeString(credentials, "cassandra.password=" + SECRET + "-c\n");
        SecretReferences refs = new SecretReferences(Map.of("KAFKA_USER", "sluice")::get);
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, Object> resolved = refs.resolve(Map.of(
                "a", "${env:KAFKA_USER}",
                "b", "${file:" + secretFile + "}",
                "c", "${file:" + credentials + ":cassandra.password}",
                "d", Map.of("sasl.jaas.config", "x password=\"${file:" + secretFile + "}\";")), problems);
        assertThat(problems).isEmpty();
        assertThat(resolved).containsEntry("a", "sluice").containsEntry("b", SECRET).containsEntry("c", SECRET + "-c")
                .containsEntry("d", Map.of("sasl.jaas.config", "x password=\"" + SECRET + "\";"));
    }

    @Test
    void aMissingReferenceIsAProblemNamingTheKey() {
        SecretReferences refs = new SecretReferences(name -> null);
        List<ConfigProblem> problems = new ArrayList<>();
        refs.resolve(Map.of("kafka.sasl.password", "${env:SLUICE_NO_SUCH_VAR}",
                "cassandra.password", "${file:" + dir.resolve("missing") + "}"), problems);
        assertThat(problems).extracting(ConfigProblem::toString).containsExactlyInAnyOrder(
                "`kafka.sasl.password` refers to ${env:SLUICE_NO_SUCH_VAR}, but the environment variable "
                        + "SLUICE_NO_SUCH_VAR is not set; export it before starting Sluice",
                "`cassandra.password` refers to ${file:" + dir.resolve("missing") + "}, which cannot be read (no such "
                        + "file); create it, readable by this user only (chmod 600)");
    }

    @Test
    void aMissingReferenceFailsTheLoad() {
        assertThatThrownBy(() -> parse(MINIMAL, Map.of("kafka.sasl.password", "${env:SLUICE_SURELY_UNSET_1234}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("`kafka.sasl.password` refers to ${env:SLUICE_SURELY_UNSET_1234}");
    }

    @Test
    void refusedCredentialsBecomeOneSentence() {
        PipelineConfig config = parse(MINIMAL, Map.of("cassandra.username", "sluice", "cassandra.password", SECRET));
        RuntimeException driver = new RuntimeException("Could not reach any contact point");
        driver.addSuppressed(new IllegalStateException("AuthenticationException: Authentication error on node "
                + "/127.0.0.1:9042: Provided username sluice and/or password are incorrect"));
        ConnectionRefusedException refused = ConnectionFailures.any(driver, config);
        assertThat(refused).as("a driver's authentication error is recognised").isNotNull();
        assertThat(refused.exitCode()).isEqualTo(4);
        assertThat(refused.getMessage()).isEqualTo("Cassandra at 127.0.0.1:9042 refused user 'sluice': fix "
                + "`cassandra.password` (or `cassandra.username`).");
        assertThat(ConnectionFailures.any(new RuntimeException("connection refused"), config))
                .as("an ordinary network error is not a credentials problem").isNull();
    }
}
