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

    @Test
    void agreesWithTheJdkDecoderWhereAsciiRunsOfEveryLengthMeetOtherBytes() {
        byte[][] inserts = {{(byte) 0xC3, (byte) 0xBC}, {(byte) 0xE2, (byte) 0x82, (byte) 0xAC}, {(byte) 0x80},
                {(byte) 0xC3}, {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}, {(byte) 0xF0, (byte) 0x9F}};
        for (int length = 0; length <= 40; length++) {
            for (int at = 0; at <= length; at++) {
                for (byte[] insert : inserts) {
                    byte[] b = new byte[length + insert.length];
                    java.util.Arrays.fill(b, (byte) 'a');
                    System.arraycopy(insert, 0, b, at, insert.length);
                    String what = java.util.Arrays.toString(b);
                    assertThat(Utf8Check.valid(b)).as("verdict on %s", what).isEqualTo(jdkAccepts(b));
                    // a range inside a larger array, as Spark's rows hold text
                    byte[] padded = new byte[b.length + 19];
                    java.util.Arrays.fill(padded, (byte) 0xFF);
                    System.arraycopy(b, 0, padded, 11, b.length);
                    assertThat(Utf8Check.valid(padded, 11, b.length)).as("verdict on %s at offset 11", what)
                            .isEqualTo(jdkAccepts(b));
                }
            }
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
