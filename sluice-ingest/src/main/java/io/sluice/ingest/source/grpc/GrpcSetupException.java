package io.sluice.ingest.source.grpc;

/** The method or its types cannot be used as configured: retrying does not help, one sentence names the fix. */
public final class GrpcSetupException extends RuntimeException {
    public GrpcSetupException(String sentence) {
        super(sentence);
    }
}
