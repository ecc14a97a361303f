package io.sluice.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes as written in pipeline files: {@code 512}, {@code 64KiB}, {@code 1MiB}, {@code 1GiB} (KB/MB/GB are read as binary too). */
public final class ByteSizes {
    private static final Pattern FORMAT = Pattern.compile("(\\d+)\\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)", Pattern.CASE_INSENSITIVE);

    private ByteSizes() {
    }

    public static long parse(String text) {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("must be a size in bytes such as 65536, 64KiB or 1MiB");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2).toLowerCase().replace("i", "").replace("b", "")) {
            case "k" -> amount << 10;
            case "m" -> amount << 20;
            case "g" -> amount << 30;
            default -> amount;
        };
    }

    public static String format(long bytes) {
        if (bytes != 0 && bytes % (1 << 30) == 0) {
            return (bytes >> 30) + "GiB";
        }
        if (bytes != 0 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + "MiB";
        }
        if (bytes != 0 && bytes % (1 << 10) == 0) {
            return (bytes >> 10) + "KiB";
        }
        return Long.toString(bytes);
    }
}
