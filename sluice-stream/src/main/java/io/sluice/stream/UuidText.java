package io.sluice.stream;

import java.util.UUID;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A UUID as Spark holds it: the 36 UTF-8 bytes of its canonical {@code 8-4-4-4-12} lowercase hex form. Both ways
 * go straight between the 16 bytes and the text, where {@code UUID.toString()} and {@code UUID.fromString()} each
 * went through a Java String: every row's key is made once (from its MD5) and read once (to bind it).
 */
final class UuidText {
    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
    private static final int LENGTH = 36;

    private UuidText() {
    }

    /** The canonical text of the UUID whose 16 bytes (most significant first) are {@code bytes}. */
    static UTF8String format(byte[] bytes) {
        byte[] text = new byte[LENGTH];
        int at = 0;
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                text[at++] = '-';
            }
            text[at++] = HEX[(bytes[i] >> 4) & 0xF];
            text[at++] = HEX[bytes[i] & 0xF];
        }
        return UTF8String.fromBytes(text);
    }

    /**
     * The UUID of a text, as {@link UUID#fromString} reads it. The canonical form (either case) is read here; any
     * other text goes to {@code UUID.fromString}, which accepts some shorter forms and rejects the rest with its own
     * message.
     */
    static UUID parse(UTF8String text) {
        if (text.numBytes() == LENGTH) {
            byte[] b = text.getBytes();
            long[] parts = {hex(b, 0, 8), hex(b, 9, 4), hex(b, 14, 4), hex(b, 19, 4), hex(b, 24, 12)};
            boolean digits = parts[0] >= 0 && parts[1] >= 0 && parts[2] >= 0 && parts[3] >= 0 && parts[4] >= 0;
            if (digits && b[8] == '-' && b[13] == '-' && b[18] == '-' && b[23] == '-') {
                return new UUID(parts[0] << 32 | parts[1] << 16 | parts[2], parts[3] << 48 | parts[4]);
            }
        }
        return UUID.fromString(text.toString());
    }

    /** The value of {@code digits} (at most 12) hex digits at {@code from}, or -1 when one is not a hex digit. */
    private static long hex(byte[] b, int from, int digits) {
        long value = 0;
        for (int i = from; i < from + digits; i++) {
            int d = Character.digit(b[i], 16);
            if (d < 0) {
                return -1;
            }
            value = value << 4 | d;
        }
        return value;
    }
}
