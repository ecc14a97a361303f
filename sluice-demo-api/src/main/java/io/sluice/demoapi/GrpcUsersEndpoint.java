package io.sluice.demoapi;

import com.google.protobuf.Any;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoFileDescriptorSupplier;
import io.grpc.protobuf.StatusProto;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sluice.demo.v1.Users/StreamUsers} ({@link GrpcUsersProto}): the same users as REST, SSE and WebSocket, one
 * {@code UserEvent} per user, served by a generic handler (no generated code) with optional server reflection.
 * It sends only while the client's flow control lets it ({@code isReady}), so a client that stops asking holds it
 * back; {@link #messagesSent()} counts what it sent. After the last user of a finite sequence the stream stays open
 * and silent, as a live feed does. Every call's resume point is logged.
 *
 * <p>Faults, from the request ({@code fail}, {@code cancel_after}, {@code unavailable_every}) or the server's
 * {@code --fail}: status 503 answers UNAVAILABLE and 429 RESOURCE_EXHAUSTED (both with {@code google.rpc.RetryInfo}),
 * other statuses INVALID_ARGUMENT; {@code drop} and {@code cancel_after} end a stream mid-way with CANCELLED;
 * {@code unavailable_every: n} refuses every n-th call with UNAVAILABLE; {@code slow} waits before a message;
 * {@code malformed} sends a user without its key ({@code login.uuid}).
 */
final class GrpcUsersEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcUsersEndpoint.class);
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
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
    };

    private final DemoApiSettings settings;
    private final ExecutorService executor;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private Server server;

    GrpcUsersEndpoint(DemoApiSettings settings, ExecutorService executor) {
        this.settings = settings;
        this.executor = executor;
    }

    GrpcUsersEndpoint start(String host, int port, boolean reflection) throws IOException {
        MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.SERVER_STREAMING).setFullMethodName(GrpcUsersProto.METHOD)
                .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
        ServiceDescriptor service = ServiceDescriptor.newBuilder(GrpcUsersProto.SERVICE)
                .setSchemaDescriptor((ProtoFileDescriptorSupplier) () -> GrpcUsersProto.FILE).addMethod(method).build();
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .permitKeepAliveTime(5, TimeUnit.SECONDS).permitKeepAliveWithoutCalls(true)
                .addService(ServerServiceDefinition.builder(service)
                        .addMethod(method, ServerCalls.asyncServerStreamingCall(this::streamUsers)).build());
        if (reflection) {
            builder.addService(ProtoReflectionServiceV1.newInstance());
        }
        server = builder.build().start();
        return this;
    }

    int port() {
        return server.getPort();
    }

    /** UserEvents handed to gRPC so far, over all calls. */
    long messagesSent() {
        return sent.get();
    }

    private void streamUsers(byte[] requestBytes, StreamObserver<byte[]> observer) {
        ServerCallStreamObserver<byte[]> call = (ServerCallStreamObserver<byte[]>) observer;
        long n = calls.incrementAndGet();
        Subscription subscription;
        try {
            subscription = Subscription.of(DynamicMessage.parseFrom(GrpcUsersProto.REQUEST, requestBytes), settings);
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            call.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        LOG.info("gRPC call {} resumes after seq {} (seed '{}')", n, subscription.since(), subscription.seed());
        if (subscription.unavailableEvery() > 0 && n % subscription.unavailableEvery() == 0) {
            refuse(call, 503, 0);
            return;
        }
        OptionalInt status = subscription.faults().rollStatus();
        if (status.isPresent()) {
            refuse(call, status.getAsInt(), subscription.faults().retryAfterSeconds(status.getAsInt()));
            return;
        }
        GrpcUserStream stream = new GrpcUserStream(subscription, call, sent); // handlers must be set before returning
        executor.submit(stream::run);
    }

    private static void refuse(ServerCallStreamObserver<byte[]> call, int httpStatus, long retryAfterSeconds) {
        Code code = switch (httpStatus) {
            case 503 -> Code.UNAVAILABLE;
            case 429 -> Code.RESOURCE_EXHAUSTED;
            default -> Code.INVALID_ARGUMENT;
        };
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder().setCode(code.getNumber())
                .setMessage("injected fault " + httpStatus);
        if (code != Code.INVALID_ARGUMENT) {
            status.addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(
                    com.google.protobuf.Duration.newBuilder().setSeconds(retryAfterSeconds)).build()));
        }
        call.onError(StatusProto.toStatusRuntimeException(status.build()));
    }

    @Override
    public void close() {
        if (server != null) {
            server.shutdownNow();
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
