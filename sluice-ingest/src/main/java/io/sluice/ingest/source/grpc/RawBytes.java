package io.sluice.ingest.source.grpc;

import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Passes gRPC messages through as the bytes on the wire. The source parses them itself against the method's
 * descriptor, so a message that is not of the expected type can still be dead-lettered exactly as it was sent.
 */
public final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {
    public static final RawBytes MARSHALLER = new RawBytes();

    private RawBytes() {
    }

    @Override
    public InputStream stream(byte[] value) {
        return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
        try {
            return stream.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
