package io.sluice.ingest.kafka;

import io.sluice.config.KafkaClientProperties;
import io.sluice.config.PipelineConfig;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The Kafka producer configuration a pipeline implies: idempotent, acks=all, bounded retries, batching, compression. */
public final class ProducerSettings {
    /** Kafka's own request timeout default; lowered when the delivery timeout is shorter. */
    private static final long DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
    private static final long MAX_BLOCK_MS = 60_000;

    private ProducerSettings() {
    }

    public static Properties from(PipelineConfig config) {
        long lingerMs = config.producerLinger().toMillis();
        long deliveryTimeoutMs = config.producerDeliveryTimeout().toMillis();
        Properties props = new Properties();
        props.putAll(KafkaClientProperties.of(config)); // address and security, shared with every Kafka client
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "sluice-ingest-" + config.name());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        // Idempotence with acks=all and at most 5 in flight: retries neither duplicate nor reorder records.
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        props.put(ProducerConfig.RETRIES_CONFIG, Integer.toString(config.producerRetries()));
        props.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(lingerMs));
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Long.toString(config.producerBatchSize()));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.producerCompression());
        // Kafka refuses delivery.timeout.ms < linger.ms + request.timeout.ms, so a short delivery timeout
        // shortens the request timeout instead of failing at startup.
        long requestTimeoutMs = Math.max(1, Math.min(DEFAULT_REQUEST_TIMEOUT_MS, deliveryTimeoutMs - lingerMs));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(requestTimeoutMs));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.max(deliveryTimeoutMs, lingerMs + requestTimeoutMs)));
        // send() blocks while metadata is missing or the buffer is full; bound it like everything else.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(Math.min(MAX_BLOCK_MS, deliveryTimeoutMs)));
        props.putAll(config.kafkaProperties()); // the user's pass-through wins over Sluice's choices too
        return props;
    }

    public static Producer<String, byte[]> createProducer(PipelineConfig config) {
        return new KafkaProducer<>(from(config));
    }

    /** How long a flush on stop may take at most: every in-flight record has succeeded or failed by then. */
    public static Duration flushBound(PipelineConfig config) {
        return config.producerDeliveryTimeout().plus(config.producerLinger());
    }
}
