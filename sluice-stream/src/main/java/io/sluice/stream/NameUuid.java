package io.sluice.stream;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.expressions.objects.StaticInvoke;
import org.apache.spark.sql.types.AbstractDataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The Cassandra primary key of a record: Java's {@code UUID.nameUUIDFromBytes(key.getBytes(UTF_8))}, deterministic, so
 * a replayed record maps to the same row and overwrites it.
 *
 * <p>It runs inside Catalyst's generated code as a static call on Spark's own UTF-8 text (no UDF round trip, no Java
 * String on the way in). It used to be built from SQL functions (md5, then six substrings, two base conversions and a
 * concat of the hex), which cost more CPU per row than the MD5 itself.
 */
public final class NameUuid {
    /** A digest per thread: {@code MessageDigest.getInstance} looks the algorithm up among the providers on each call. */
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(NameUuid::md5);

    private NameUuid() {
    }

    /** A string column in canonical {@code 8-4-4-4-12} form; null when {@code key} is null. */
    public static Column of(Column key) {
        // Casting to string first: a key of another type is named by its text, as before.
        return new Column(new StaticInvoke(NameUuid.class, DataTypes.StringType, "ofText",
                CollectionConverters.asScala(List.of(key.cast("string").expr())).toList(),
                CollectionConverters.asScala(List.<AbstractDataType>of()).toList(), true, false, true));
    }

    /** Called by Spark's generated code for each non-null key: the version 3 UUID of the key's UTF-8 bytes. */
    public static UTF8String ofText(UTF8String key) {
        byte[] hash = MD5.get().digest(key.getBytes());
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x30); // version 3: name-based, MD5
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // the IETF variant
        return UuidText.format(hash);
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5, which every Java platform must provide", e);
        }
    }
}
