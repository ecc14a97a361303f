package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.UUID;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

class UuidTextTest {

    @Test
    void formatsAndParsesAsJavasUuidDoes() {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            UUID uuid = new UUID(random.nextLong(), random.nextLong());
            byte[] bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                    .putLong(uuid.getLeastSignificantBits()).array();

            assertThat(UuidText.format(bytes).toString()).isEqualTo(uuid.toString());
            assertThat(UuidText.parse(UTF8String.fromString(uuid.toString()))).isEqualTo(uuid);
            assertThat(UuidText.parse(UTF8String.fromString(uuid.toString().toUpperCase()))).isEqualTo(uuid);
        }
        byte[] allOnes = new byte[16];
        java.util.Arrays.fill(allOnes, (byte) 0xFF);
        assertThat(UuidText.format(allOnes).toString()).isEqualTo("ffffffff-ffff-ffff-ffff-ffffffffffff");
        assertThat(UuidText.parse(UuidText.format(allOnes))).isEqualTo(new UUID(-1L, -1L));
    }

    @Test
    void otherTextsAreReadOrRefusedExactlyAsUuidFromStringDoes() {
        for (String text : new String[] {"1-2-3-4-5", "0000000a-000b-000c-000d-00000000000e"}) {
            assertThat(UuidText.parse(UTF8String.fromString(text))).as(text).isEqualTo(UUID.fromString(text));
        }
        for (String text : new String[] {"123e4567-e89b-12d3-a456-42661417400g", "123e4567+e89b-12d3-a456-426614174000",
                "123e4567-e89b-12d3-a456-4266141740000", "not a uuid", "123e4567-e89b-12d3-a456-42661417400\u00e9"}) {
            assertThatThrownBy(() -> UUID.fromString(text)).as("Java refuses %s", text)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> UuidText.parse(UTF8String.fromString(text))).as(text)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
