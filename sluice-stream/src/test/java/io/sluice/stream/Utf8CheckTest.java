package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8CheckTest {
    @Test
    void acceptsWellFormedTextInEveryLength() {
        byte[] text = "ascii, ไทย, ü, €, 😀 {\"a\":1}".getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8Check.valid(text)).as("1- to 4-byte sequences are valid UTF-8").isTrue();
        assertThat(Utf8Check.valid(new byte[0])).isTrue();
    }

    @Test
    void rejectsWhatTheJdkDecoderRejects() {
        byte[][] bad = {
                {(byte) 0xC3}, // truncated
                {(byte) 0xC0, (byte) 0x80}, // overlong NUL
                {(byte) 0xE0, (byte) 0x80, (byte) 0x80}, // overlong
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // surrogate
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
                {(byte) 0xFF}, {'a', (byte) 0x80},
        };
        for (byte[] b : bad) {
            assertThat(Utf8Check.valid(b)).as("bytes %s are not UTF-8", java.util.Arrays.toString(b)).isFalse();
        }
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomBytes() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(6)];
            random.nextBytes(b);
            assertThat(Utf8Check.valid(b)).as("verdict on %s", java.util.Arrays.toString(b)).isEqualTo(jdkAccepts(b));
        }
    }

    private static boolean jdkAccepts(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
