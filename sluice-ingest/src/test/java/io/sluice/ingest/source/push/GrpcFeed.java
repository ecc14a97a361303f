package io.sluice.ingest.source.push;

import io.sluice.ingest.source.grpc.RawBytes;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.util.JsonFormat;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoFileDescriptorSupplier;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC face of {@link ThirdPartyFeed}: {@code feed.v1.Feed/Subscribe(SubscribeRequest{since}) returns (stream
 * Event{seq, id, name, type})}, built from descriptors in code and served by a generic handler with reflection on.
 * It sends only while the client's flow control lets it ({@code isReady}), as a well-behaved server does; a reset is
 * an UNAVAILABLE status, a goodbye the end of the stream; its status line is raw bytes, not an Event.
 */
final class GrpcFeed implements AutoCloseable {
    static final String METHOD = "feed.v1.Feed/Subscribe";
    static final FileDescriptor FILE = file();
    static final Descriptor REQUEST = FILE.findMessageTypeByName("SubscribeRequest");
    static final Descriptor EVENT = FILE.findMessageTypeByName("Event");


    private final ThirdPartyFeed feed;
    private final Server server;

    GrpcFeed(ThirdPartyFeed feed) throws IOException {
        this.feed = feed;
        MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.SERVER_STREAMING).setFullMethodName(METHOD)
                .setRequestMarshaller(RawBytes.MARSHALLER).setResponseMarshaller(RawBytes.MARSHALLER).build();
        ServiceDescriptor service = ServiceDescriptor.newBuilder("feed.v1.Feed")
                .setSchemaDescriptor((ProtoFileDescriptorSupplier) () -> FILE).addMethod(method).build();
        ServerServiceDefinition definition = ServerServiceDefinition.builder(service)
                .addMethod(method, ServerCalls.asyncServerStreamingCall(this::subscribe)).build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .permitKeepAliveTime(100, TimeUnit.MILLISECONDS).permitKeepAliveWithoutCalls(true)
                .addService(definition).addService(ProtoReflectionServiceV1.newInstance()).build().start();
    }

    int port() {
        return server.getPort();
    }

    private void subscribe(byte[] requestBytes, StreamObserver<byte[]> observer) {
        ServerCallStreamObserver<byte[]> call = (ServerCallStreamObserver<byte[]>) observer;
        long after;
        try {
            String since = (String) DynamicMessage.parseFrom(REQUEST, requestBytes)
                    .getField(REQUEST.findFieldByName("since"));
            after = since.isBlank() || since.equals("null") ? ThirdPartyFeed.FIRST_SEQ - 1 : Long.parseLong(since);
        } catch (IOException | NumberFormatException e) {
            call.onError(Status.INVALID_ARGUMENT.withDescription("since must be a seq").asRuntimeException());
            return;
        }
        GrpcConnection connection = new GrpcConnection(call);
        Thread sender = new Thread(() -> {
            try {
                feed.stream(connection, after, () -> call.onError(Status.UNAVAILABLE
                        .withDescription("connection reset by the feed").asRuntimeException()));
            } catch (IOException | InterruptedException | RuntimeException e) {
                // the client went away
            }
        }, "third-party-feed-grpc");
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }

    private static FileDescriptor file() {
        FileDescriptorProto proto = FileDescriptorProto.newBuilder().setName("feed/v1/feed.proto").setPackage("feed.v1")
                .setSyntax("proto3")
                .addMessageType(DescriptorProto.newBuilder().setName("SubscribeRequest")
                        .addField(field("since", 1, FieldDescriptorProto.Type.TYPE_STRING)))
                .addMessageType(DescriptorProto.newBuilder().setName("Event")
                        .addField(field("seq", 1, FieldDescriptorProto.Type.TYPE_INT64))
                        .addField(field("id", 2, FieldDescriptorProto.Type.TYPE_STRING))
                        .addField(field("name", 3, FieldDescriptorProto.Type.TYPE_STRING))
                        .addField(field("type", 4, FieldDescriptorProto.Type.TYPE_STRING)))
                .addService(ServiceDescriptorProto.newBuilder().setName("Feed")
                        .addMethod(MethodDescriptorProto.newBuilder().setName("Subscribe")
                                .setInputType(".feed.v1.SubscribeRequest").setOutputType(".feed.v1.Event")
                                .setServerStreaming(true)))
                .build();
        try {
            return FileDescriptor.buildFrom(proto, new FileDescriptor[0]);
        } catch (com.google.protobuf.Descriptors.DescriptorValidationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FieldDescriptorProto.Builder field(String name, int number, FieldDescriptorProto.Type type) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL).setJsonName(name);
    }

    /** One subscription: sends only while flow control allows, and notices the client going away. */
    private static final class GrpcConnection implements ThirdPartyFeed.Connection {
        private final ServerCallStreamObserver<byte[]> call;
        private final Object readiness = new Object();
        private volatile boolean gone;

        GrpcConnection(ServerCallStreamObserver<byte[]> call) {
            this.call = call;
            call.setOnReadyHandler(this::wake);
            call.setOnCancelHandler(() -> {
                gone = true;
                wake();
            });
        }

        private void wake() {
            synchronized (readiness) {
                readiness.notifyAll();
            }
        }

        private void send(byte[] message) throws IOException {
            synchronized (readiness) {
                while (!call.isReady() && !gone) {
                    try {
                        readiness.wait(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted");
                    }
                }
            }
            if (gone) {
                throw new IOException("the client went away");
            }
            call.onNext(message);
        }

        private void event(long seq, String id, String name, String type) throws IOException {
            DynamicMessage.Builder event = DynamicMessage.newBuilder(EVENT)
                    .setField(EVENT.findFieldByName("seq"), seq);
            if (id != null) {
                event.setField(EVENT.findFieldByName("id"), id);
            }
            if (name != null) {
                event.setField(EVENT.findFieldByName("name"), name);
            }
            if (type != null) {
                event.setField(EVENT.findFieldByName("type"), type);
            }
            send(event.build().toByteArray());
        }

        @Override
        public void open() {
        }

        @Override
        public void status(String line) throws IOException {
            send(line.getBytes(StandardCharsets.UTF_8)); // not an Event: the source must dead-letter these bytes
        }

        @Override
        public void record(long seq, String json) throws IOException {
            DynamicMessage.Builder event = DynamicMessage.newBuilder(EVENT);
            JsonFormat.parser().merge(json, event);
            send(event.build().toByteArray());
        }

        @Override
        public void heartbeat(long seq) throws IOException {
            event(seq + 500_000, null, null, "heartbeat"); // a number that is not a position
        }

        @Override
        public void ack(long seq) throws IOException {
            event(seq, null, null, "ack");
        }

        @Override
        public void goodbye() {
            call.onCompleted();
        }

        @Override
        public void keepAliveUntilGone() throws InterruptedException {
            while (!gone) {
                Thread.sleep(50);
            }
        }
    }
}
