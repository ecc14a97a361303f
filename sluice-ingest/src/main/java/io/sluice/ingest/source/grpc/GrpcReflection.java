package io.sluice.ingest.source.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks a server for a method's types through server reflection ({@code grpc.reflection.v1}): the file that defines
 * the service, then every file it imports that the answer left out.
 */
final class GrpcReflection {
    private final Channel channel;
    private final Duration timeout;
    private final String target;

    GrpcReflection(Channel channel, Duration timeout, String target) {
        this.channel = channel;
        this.timeout = timeout;
        this.target = target;
    }

    /**
     * @throws GrpcSetupException      when the server has no reflection or does not know the service
     * @throws StatusRuntimeException  when the server cannot be reached (worth retrying)
     */
    GrpcMethodTypes resolve(String fullMethod) throws InterruptedException {
        String service = GrpcMethodTypes.serviceOf(fullMethod);
        Map<String, FileDescriptorProto> files = new LinkedHashMap<>();
        addAll(files, ask(ServerReflectionRequest.newBuilder().setFileContainingSymbol(service).build(), service));
        Deque<String> missing = new ArrayDeque<>();
        files.values().forEach(f -> missing.addAll(f.getDependencyList()));
        while (!missing.isEmpty()) {
            String name = missing.pop();
            if (files.containsKey(name)) {
                continue;
            }
            List<FileDescriptorProto> got = ask(ServerReflectionRequest.newBuilder().setFileByFilename(name).build(), name);
            addAll(files, got);
            got.forEach(f -> missing.addAll(f.getDependencyList()));
        }
        return GrpcMethodTypes.from(new ArrayList<>(files.values()), fullMethod, "server reflection at " + target);
    }

    private static void addAll(Map<String, FileDescriptorProto> files, List<FileDescriptorProto> got) {
        got.forEach(f -> files.putIfAbsent(f.getName(), f));
    }

    /** One question on its own reflection stream; the answer's file descriptors. */
    private List<FileDescriptorProto> ask(ServerReflectionRequest request, String what) throws InterruptedException {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse value) {
                        answer.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        answer.completeExceptionally(Status.INTERNAL.withDescription("no answer").asRuntimeException());
                    }
                });
        requests.onNext(request);
        requests.onCompleted();
        ServerReflectionResponse response;
        try {
            response = answer.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Status status = Status.fromThrowable(e.getCause());
            if (status.getCode() == Status.Code.UNIMPLEMENTED) {
                throw new GrpcSetupException("the server at " + target + " has no server reflection (grpc.reflection.v1 "
                        + "answered UNIMPLEMENTED); set `source.grpc.descriptor_set` to a file written by "
                        + "`protoc --include_imports --descriptor_set_out=FILE`");
            }
            throw status.asRuntimeException();
        } catch (TimeoutException e) {
            throw Status.DEADLINE_EXCEEDED.withDescription("server reflection did not answer within "
                    + timeout.toMillis() + " ms (`source.timeout`)").asRuntimeException();
        }
        if (response.hasErrorResponse()) {
            throw new GrpcSetupException("server reflection at " + target + " does not know " + what + " ("
                    + response.getErrorResponse().getErrorMessage() + "); fix `source.grpc.method`");
        }
        List<FileDescriptorProto> out = new ArrayList<>();
        for (ByteString bytes : response.getFileDescriptorResponse().getFileDescriptorProtoList()) {
            try {
                out.add(FileDescriptorProto.parseFrom(bytes));
            } catch (InvalidProtocolBufferException e) {
                throw new GrpcSetupException("server reflection at " + target + " sent a broken file descriptor");
            }
        }
        return out;
    }
}
