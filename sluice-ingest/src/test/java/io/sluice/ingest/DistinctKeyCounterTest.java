package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class DistinctKeyCounterTest {

    @Test
    void countsEachKeyOnceWhateverItsShape() {
        DistinctKeyCounter counter = new DistinctKeyCounter(100);
        String uuid = "4f1d2a3e-9c1b-4c5e-8a7d-0e1f2a3b4c5d";

        assertThat(counter.add(uuid)).isTrue();
        assertThat(counter.add(uuid)).as("the same UUID key twice counts once").isFalse();
        assertThat(counter.add(uuid.toUpperCase())).as("an upper-case spelling is a different string key").isTrue();
        assertThat(counter.add("alice@example.com")).isTrue();
        assertThat(counter.add("alice@example.com")).isFalse();

        assertThat(counter.size()).isEqualTo(3);
        assertThat(counter.capReached()).isFalse();
    }

    @Test
    void staysExactAcrossManyUuidKeysAndTableGrowth() {
        DistinctKeyCounter counter = new DistinctKeyCounter(1_000_000);
        UUID[] keys = new UUID[200_000];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = UUID.randomUUID();
            counter.add(keys[i].toString());
        }
        for (UUID key : keys) {
            assertThat(counter.add(key.toString())).as("a key seen before is recognised after the table grew").isFalse();
        }

        assertThat(counter.size()).isEqualTo(keys.length);
    }

    @Test
    void stopsTrackingAtTheCapAndSaysSo() {
        DistinctKeyCounter counter = new DistinctKeyCounter(3);
        for (int i = 0; i < 5; i++) {
            counter.add("key-" + i);
        }

        assertThat(counter.size()).as("memory is bounded by the cap").isEqualTo(3);
        assertThat(counter.capReached()).as("the count is flagged as a lower bound").isTrue();
        assertThat(counter.add("key-1")).as("keys tracked before the cap are still recognised").isFalse();
    }
}
