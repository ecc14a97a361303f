package io.sluice.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ingest.TestConfigs;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class ProducerSettingsTest {

    @Test
    void theProducerIsIdempotentWithAcksAllAndTheConfiguredBatchingAndRetries() {
        Properties p = ProducerSettings.from(TestConfigs.config(Map.of("producer.retries", "7", "producer.linger", "50ms",
                "producer.batch_size", "32KiB", "producer.compression", "zstd", "producer.delivery_timeout", "90s",
                "kafka.bootstrap_servers", "127.0.0.1:19092")));

        assertThat(p).containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5")
                .containsEntry(ProducerConfig.RETRIES_CONFIG, "7")
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, "50")
                .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, "32768")
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd")
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "90000")
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:19092");
    }

    @Test
    void aShortDeliveryTimeoutStillMakesAValidKafkaProducer() {
        Properties p = ProducerSettings.from(TestConfigs.config(Map.of("producer.delivery_timeout", "2s",
                "producer.linger", "100ms", "producer.compression", "none", "kafka.bootstrap_servers", "127.0.0.1:1")));

        assertThat(p).containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "1900");
        // KafkaProducer validates delivery.timeout.ms >= linger.ms + request.timeout.ms in its constructor.
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            assertThat(producer.metrics()).as("the producer was built from these settings").isNotEmpty();
            producer.close(Duration.ZERO);
        }
    }
}
