package io.sluice.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ingest.kafka.TopicProvisioner.TopicSettings;
import org.junit.jupiter.api.Test;

class TopicSettingsDifferencesTest {

    @Test
    void aTopicLikeTheConfigHasNoDifferences() {
        assertThat(TopicProvisioner.differences(new TopicSettings(3, 3, 2), new TopicSettings(3, 3, 2))).isEmpty();
    }

    @Test
    void eachDifferenceSaysWhatTheTopicHasAndWhichKeyAsksOtherwise() {
        assertThat(TopicProvisioner.differences(new TopicSettings(2, 1, 1), new TopicSettings(3, 3, 2))).containsExactly(
                "2 partitions, but `kafka.partitions` is 3 (keys spread over 2)",
                "replication factor 1, but `kafka.replication_factor` is 3",
                "min.insync.replicas 1, but `kafka.min_insync_replicas` is 2");
    }
}
