package io.sluice.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaServerTest {

    private static Properties parse(String text) throws Exception {
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        return properties;
    }

    @Test
    void serverPropertiesDescribeASingleNodeKraftBrokerOnLoopback() throws Exception {
        KafkaServer kafka = new KafkaServer().withDataDir(Path.of("/tmp/stack")).withPort(19092).withControllerPort(19093);

        Properties p = parse(kafka.serverProperties());

        assertThat(p.getProperty("process.roles")).isEqualTo("broker,controller");
        assertThat(p.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:19093");
        assertThat(p.getProperty("listeners")).isEqualTo("PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093");
        assertThat(p.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:19092");
        assertThat(p.getProperty("log.dirs")).isEqualTo("/tmp/stack/kafka/data");
        assertThat(p.getProperty("num.partitions")).isEqualTo("3");
        assertThat(p.getProperty("auto.create.topics.enable")).isEqualTo("false");
        assertThat(p.getProperty("offsets.topic.replication.factor")).isEqualTo("1");
        assertThat(p.getProperty("transaction.state.log.replication.factor")).isEqualTo("1");
        assertThat(p.getProperty("transaction.state.log.min.isr")).isEqualTo("1");
        assertThat(p.getProperty("group.initial.rebalance.delay.ms")).isEqualTo("0");
    }

    @Test
    void explicitPropertiesWinOverSluiceDefaults() throws Exception {
        KafkaServer kafka = new KafkaServer().withAutoCreateTopics(true).withProperty("num.partitions", "12");

        Properties p = parse(kafka.serverProperties());

        assertThat(p.getProperty("num.partitions")).as("withProperty overrides the default").isEqualTo("12");
        assertThat(p.getProperty("auto.create.topics.enable")).isEqualTo("true");
    }

    @Test
    void connectionDetailsAndFilesFollowTheSettings() {
        KafkaServer kafka = new KafkaServer().withDataDir(Path.of("/tmp/stack")).withPort(29092);

        assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:29092");
        assertThat(kafka.configFile()).isEqualTo(Path.of("/tmp/stack/kafka/server.properties"));
        assertThat(kafka.logFile()).isEqualTo(Path.of("/tmp/stack/kafka/kafka.log"));
        assertThat(kafka.pidFile()).isEqualTo(Path.of("/tmp/stack/kafka/kafka.pid"));
    }

    @Test
    void defaultsAreTheUsualKafkaPortsUnderDotSluice() {
        KafkaServer kafka = new KafkaServer();

        assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(kafka.directory()).isEqualTo(Path.of(".sluice").toAbsolutePath().normalize().resolve("kafka"));
        assertThat(kafka.heap()).isEqualTo("512m");
    }

    @Test
    void commandRunsKafkaThroughTheWatchdogWithTheHeapAndConfig() {
        KafkaServer kafka = new KafkaServer().withDataDir(Path.of("/tmp/stack")).withHeap("256m");

        String command = String.join(" ", kafka.command(Path.of("/x.args")));

        assertThat(command).contains("-Xmx256m", "-Dsluice.watchParent=true", "@/x.args",
                "io.sluice.servers.watchdog.ParentWatchdog kafka.Kafka /tmp/stack/kafka/server.properties");
        assertThat(kafka.withMode(LaunchMode.DETACHED).command(Path.of("/x.args")))
                .as("a detached server does not watch its parent").contains("-Dsluice.watchParent=false");
    }

    @Test
    void rejectsAPortOutsideTheValidRange() {
        assertThatThrownBy(() -> new KafkaServer().withPort(70000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("broker port must be between 1 and 65535, got 70000");
    }

    @Test
    void rejectsAHeapThatIsNotAJvmSize() {
        assertThatThrownBy(() -> new KafkaServer().withHeap("lots"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Kafka heap must look like 512m or 1g, got lots");
    }

    @Test
    void rejectsTheSamePortForBrokerAndController() {
        KafkaServer kafka = new KafkaServer().withPort(19092).withControllerPort(19092);

        assertThatThrownBy(kafka::ports)
                .isInstanceOf(StackException.class)
                .hasMessage("Kafka's broker port and controller port are both 19092; give them different ports.");
    }
}
