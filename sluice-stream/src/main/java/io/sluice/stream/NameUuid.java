package io.sluice.stream;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.conv;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.md5;
import static org.apache.spark.sql.functions.substring;

import org.apache.spark.sql.Column;

/**
 * The Cassandra primary key of a record: Java's {@code UUID.nameUUIDFromBytes(key.getBytes(UTF_8))}, written with
 * built-in Spark SQL functions so it runs inside Catalyst (no UDF round trip) and stays deterministic: a replayed
 * record maps to the same row and overwrites it.
 *
 * <p>A name-based (version 3) UUID is the MD5 of the bytes with two fields overwritten: the version nibble (hex
 * digit 13) becomes {@code 3}, and the top two bits of byte 8 (hex digit 17) become the IETF variant {@code 10}.
 */
public final class NameUuid {
    private NameUuid() {
    }

    /** A string column in canonical {@code 8-4-4-4-12} form; null when {@code key} is null. */
    public static Column of(Column key) {
        // Casting a string to binary encodes it as UTF-8, exactly like getBytes(UTF_8).
        Column hex = md5(key.cast("string").cast("binary"));
        Column variantDigit = lower(conv(
                conv(substring(hex, 17, 1), 16, 10).cast("int").bitwiseAND(0x3).bitwiseOR(0x8).cast("string"), 10, 16));
        // concat (not concat_ws) so that a null key gives a null UUID rather than "----".
        return concat(
                substring(hex, 1, 8), lit("-"),
                substring(hex, 9, 4), lit("-"),
                lit("3"), substring(hex, 14, 3), lit("-"),
                variantDigit, substring(hex, 18, 3), lit("-"),
                substring(hex, 21, 12));
    }
}
