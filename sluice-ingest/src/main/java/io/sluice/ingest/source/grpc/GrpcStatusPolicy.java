package io.sluice.ingest.source.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.sluice.ingest.source.push.PushSource.Cause;
import io.sluice.ingest.source.push.PushSource.Ended;
import java.time.Duration;

/**
 * What the gRPC source does with the status a call ended with, on purpose for each code: retry (after the server's
 * {@code google.rpc.RetryInfo} when it sent one), refresh credentials once, or stop with one sentence naming the
 * method and the key to fix.
 */
final class GrpcStatusPolicy {
    private final String method;
    private final GrpcCredentials credentials;
    private volatile boolean refreshedSinceLastMessage; // read and written on the calls' executor threads

    GrpcStatusPolicy(String method, GrpcCredentials credentials) {
        this.method = method;
        this.credentials = credentials;
    }

    /** A message arrived: the credentials work, so a later UNAUTHENTICATED earns a refresh again. */
    void messageArrived() {
        refreshedSinceLastMessage = false;
    }

    Ended ended(Status status, Metadata trailers) {
        String detail = method + " ended with " + status.getCode()
                + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")");
        return switch (status.getCode()) {
            case OK -> Ended.because(Cause.CLOSED, "ended the stream of " + method);
            case UNAVAILABLE, RESOURCE_EXHAUSTED -> new Ended(status.getCode() == Status.Code.UNAVAILABLE ? Cause.ERROR
                    : Cause.REFUSED, detail, retryDelay(status, trailers), false);
            case DEADLINE_EXCEEDED -> Ended.because(Cause.CLOSED, detail + " when the call's deadline "
                    + "(`source.grpc.deadline`) passed");
            case UNAUTHENTICATED -> unauthenticated(detail);
            case INVALID_ARGUMENT -> Ended.fatal(method + " refused the request as INVALID_ARGUMENT"
                    + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")")
                    + "; fix `source.grpc.request`");
            case UNIMPLEMENTED -> Ended.fatal("the server does not implement " + method + " (UNIMPLEMENTED); fix "
                    + "`source.grpc.method`");
            case PERMISSION_DENIED -> Ended.fatal(method + " answered PERMISSION_DENIED: the credentials in "
                    + credentials.keysToFix() + " are valid but may not call it");
            default -> Ended.because(Cause.ERROR, detail);
        };
    }

    private Ended unauthenticated(String detail) {
        if (refreshedSinceLastMessage) {
            return Ended.fatal(method + " answered UNAUTHENTICATED again after the credentials were refreshed; "
                    + "fix " + credentials.keysToFix());
        }
        refreshedSinceLastMessage = true;
        credentials.refresh();
        return Ended.because(Cause.REFUSED, detail + "; credentials refreshed, retrying once");
    }

    /** The server's own wait from {@code google.rpc.RetryInfo} in the status details; null when it sent none. */
    static Duration retryDelay(Status status, Metadata trailers) {
        com.google.rpc.Status details = StatusProto.fromStatusAndTrailers(status, trailers);
        if (details == null) {
            return null;
        }
        for (Any detail : details.getDetailsList()) {
            if (detail.is(RetryInfo.class)) {
                try {
                    com.google.protobuf.Duration delay = detail.unpack(RetryInfo.class).getRetryDelay();
                    return Duration.ofSeconds(delay.getSeconds(), delay.getNanos());
                } catch (InvalidProtocolBufferException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
