package io.sluice.stream;

import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Strict UTF-8 validation of raw bytes (the well-formed byte sequences of Unicode Table 3-7: no overlong forms, no
 * surrogates, nothing above U+10FFFF), as the JDK decoder judges them. One pass over the bytes without allocating,
 * where a decode-then-encode round trip built two strings per record.
 */
final class Utf8Check {
    private Utf8Check() {
    }

    /** True for null (nothing to judge) and for well-formed UTF-8. */
    static boolean valid(byte[] b) {
        return b == null || valid(b, 0, b.length);
    }

    /** As {@link #valid(byte[])}, for a Spark text, read where it lies when it is on the heap (no copy). */
    static boolean valid(UTF8String text) {
        return text.getBaseObject() instanceof byte[] array
                ? valid(array, Math.toIntExact(text.getBaseOffset() - Platform.BYTE_ARRAY_OFFSET), text.numBytes())
                : valid(text.getBytes());
    }

    /** As {@link #valid(byte[])}, for the {@code length} bytes at {@code offset}. */
    static boolean valid(byte[] b, int offset, int length) {
        int i = offset;
        int n = offset + length;
        while (i < n) {
            // Eight ASCII bytes at a time: most of a JSON record is ASCII, and a byte-by-byte walk was 6 % of a task.
            while (i + Long.BYTES <= n && (Platform.getLong(b, Platform.BYTE_ARRAY_OFFSET + i) & 0x8080808080808080L) == 0) {
                i += Long.BYTES;
            }
            if (i >= n) {
                break;
            }
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int need;
            int lo = 0x80;
            int hi = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                need = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                need = 2;
                if (c == 0xE0) {
                    lo = 0xA0; // overlong
                } else if (c == 0xED) {
                    hi = 0x9F; // surrogates
                }
            } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3;
                if (c == 0xF0) {
                    lo = 0x90; // overlong
                } else if (c == 0xF4) {
                    hi = 0x8F; // above U+10FFFF
                }
            } else {
                return false;
            }
            if (i + need >= n) {
                return false; // truncated sequence
            }
            int second = b[i + 1] & 0xFF;
            if (second < lo || second > hi) {
                return false;
            }
            for (int k = 2; k <= need; k++) {
                int next = b[i + k] & 0xFF;
                if (next < 0x80 || next > 0xBF) {
                    return false;
                }
            }
            i += need + 1;
        }
        return true;
    }
}
