package io.sluice.ingest.source.grpc;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.util.JsonFormat;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.sluice.ingest.source.push.PushSource;
import io.sluice.ingest.source.push.PushSupport;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One streaming call of a {@link GrpcSource}: the call's listener. Inbound flow control is manual: the call asks for
 * {@link GrpcSource#REQUEST_WINDOW} messages at start and for one more only after a message's items are in the
 * hand-off, so a full queue stops the demand, the HTTP/2 window fills and the server's stream is held back. A message
 * is handed over under the same lock that ends the call: once {@link #awaitEnd} returned, no message of this call
 * moves the position any more, so the next call's resume position is final.
 */
final class GrpcStream extends ClientCall.Listener<byte[]> {
    private final GrpcSource source;
    private final GrpcMethodTypes types;
    private final JsonFormat.Printer printer;
    private final GrpcStatusPolicy policy;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final CompletableFuture<PushSource.Ended> end = new CompletableFuture<>();
    private volatile ClientCall<byte[], byte[]> call;

    GrpcStream(GrpcSource source, GrpcMethodTypes types, JsonFormat.Printer printer, GrpcStatusPolicy policy) {
        this.source = source;
        this.types = types;
        this.printer = printer;
        this.policy = policy;
    }

    /** Starts the call: metadata, the demand window, the one request message. */
    void start(ClientCall<byte[], byte[]> newCall, Metadata metadata, byte[] request) {
        call = newCall;
        newCall.start(this, metadata);
        newCall.request(GrpcSource.REQUEST_WINDOW);
        newCall.sendMessage(request);
        newCall.halfClose();
    }

    PushSource.Ended awaitEnd() throws InterruptedException {
        try {
            return end.get();
        } catch (InterruptedException e) {
            abort(PushSource.Ended.because(PushSource.Cause.ERROR, "was interrupted"));
            throw e;
        } catch (ExecutionException e) {
            return PushSource.Ended.because(PushSource.Cause.ERROR, "failed: " + PushSupport.describe(e));
        }
    }

    @Override
    public synchronized void onMessage(byte[] message) {
        if (ended.get() || !source.isCurrent(this)) {
            return;
        }
        policy.messageArrived();
        DynamicMessage parsed = types.parseResponse(message);
        if (parsed == null) {
            source.rejectMessage(message, "ingest:not_protobuf", "the message is not a "
                    + types.responseType().getFullName() + " (the response type of `source.grpc.method`)", this::demandOne);
            return;
        }
        byte[] json;
        try {
            json = printer.print(parsed).getBytes(StandardCharsets.UTF_8);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            source.rejectMessage(message, "ingest:not_json", "the message has no JSON form ("
                    + e.getMessage() + ")", this::demandOne);
            return;
        }
        source.deliver(json, this::demandOne);
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
        ended(policy.ended(status, trailers));
    }

    private void demandOne() {
        ClientCall<byte[], byte[]> current = call;
        if (current != null && !ended.get()) {
            current.request(1); // safe from any thread
        }
    }

    /** Gives up on this call at once (idle, stop); the source reconnects unless stopped. */
    void abort(PushSource.Ended why) {
        ended(why);
        ClientCall<byte[], byte[]> current = call;
        if (current != null) {
            current.cancel("sluice: " + why.cause(), null);
        }
    }

    private synchronized void ended(PushSource.Ended why) {
        if (ended.compareAndSet(false, true)) {
            end.complete(why);
        }
    }
}
