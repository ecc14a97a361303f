package io.sluice.ingest.source.grpc;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.sluice.config.PipelineConfig;
import io.sluice.ingest.Ticker;
import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.push.PushRecordDecoder;
import io.sluice.ingest.source.push.PushSource;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * {@code source.type=grpc}: calls the server-streaming method {@code source.grpc.method} with the request
 * {@code source.grpc.request} (JSON, its {@code ${position}} filled in) and turns every streamed message into JSON
 * by protobuf's JSON mapping (field names as in the .proto file), which then takes the normal path
 * ({@code source.records_path}, {@code record.key}, {@code source.position_path}). The types come from server
 * reflection or {@code source.grpc.descriptor_set}: no generated code. Reading, idle watch, reconnects and positions
 * are {@link PushSource}'s; this class speaks gRPC.
 *
 * <p>Liveness is gRPC keep-alive ({@code source.ping_interval}, {@code source.stall_timeout}): HTTP/2 pings the
 * application never sees, so a quiet but healthy stream is not taken for a dead one; {@code source.idle_timeout}
 * still watches for records. Statuses are handled by {@link GrpcStatusPolicy}; credentials by
 * {@link GrpcCredentials}, the seam for the shared credential code.
 */
public final class GrpcSource extends PushSource {
    public static final String TYPE = "grpc";
    /** Messages asked for ahead of the hand-off: the most a call holds that are neither in the hand-off nor on the wire. */
    public static final int REQUEST_WINDOW = 32;
    /**
     * HTTP/2 flow-control window of a call, fixed (no auto-tuning) so that a stopped demand holds the server back
     * within a known number of bytes.
     */
    public static final int FLOW_CONTROL_WINDOW = 64 * 1024;
    static final int MAX_MESSAGE_BYTES = 16 << 20;


    private String method;
    private String target;
    private String requestTemplate;
    private String initialPosition;
    private Duration timeout;
    private Duration deadline;
    private GrpcCredentials credentials;
    private GrpcStatusPolicy policy;
    private ManagedChannel channel;
    private GrpcMethodTypes types;
    private MethodDescriptor<byte[], byte[]> callDescriptor;
    private JsonFormat.Printer printer;
    private volatile GrpcStream current;

    /** Resumes after {@link io.sluice.ingest.source.SourceContext#resumeFrom()} if the pipeline has a position. */
    public GrpcSource() {
        this(null);
    }

    /** Resumes after {@code committed}; null as {@link #GrpcSource()}. */
    public GrpcSource(SourcePosition committed) {
        this(committed, Ticker.SYSTEM, () -> ThreadLocalRandom.current().nextDouble());
    }

    GrpcSource(SourcePosition committed, Ticker ticker, DoubleSupplier random) {
        super("gRPC", committed, ticker, random);
    }

    @Override
    protected PushRecordDecoder decoder(PipelineConfig config) {
        return new PushRecordDecoder(config.sourceRecordsPath(), config.recordKey(), config.sourcePositionPath(),
                config.sourceControlPath(), config.sourceControlValues());
    }

    @Override
    protected void configure(PipelineConfig config) {
        URI uri = URI.create(config.sourceUrl());
        method = config.sourceGrpcMethod();
        target = uri.getHost() + ":" + uri.getPort();
        requestTemplate = config.sourceGrpcRequest();
        initialPosition = config.sourceInitialPosition();
        timeout = config.sourceTimeout();
        deadline = config.sourceGrpcDeadline();
        credentials = GrpcCredentials.from(config);
        policy = new GrpcStatusPolicy(method, credentials);
        int port = uri.getPort() > 0 ? uri.getPort() : "grpcs".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        channel = NettyChannelBuilder.forAddress(uri.getHost(), port, credentials.channelCredentials())
                .keepAliveTime(config.sourcePingInterval().toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(config.sourceStallTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .flowControlWindow(FLOW_CONTROL_WINDOW)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .build();
        if (config.sourceGrpcDescriptorSet() != null) {
            useTypes(GrpcMethodTypes.fromDescriptorSet(Path.of(config.sourceGrpcDescriptorSet()), method));
        }
    }

    /** The request for this connect: {@code source.grpc.request} with the resume position in {@code ${position}}. */
    String requestJson() {
        String position = resumePosition().map(SourcePosition::value).orElse(initialPosition == null ? "" : initialPosition);
        return requestTemplate.replace(PipelineConfig.POSITION_PLACEHOLDER, jsonEscaped(position));
    }

    @Override
    protected Ended session() throws InterruptedException {
        byte[] request;
        try {
            if (types == null) {
                useTypes(new GrpcReflection(channel, timeout, target).resolve(method));
            }
            request = request();
        } catch (GrpcSetupException e) {
            return Ended.fatal(e.getMessage());
        } catch (StatusRuntimeException e) {
            return Ended.because(Cause.ERROR, "could not read the types of " + method + " by server reflection: "
                    + e.getStatus().getCode() + (e.getStatus().getDescription() == null ? ""
                    : " (" + e.getStatus().getDescription() + ")"));
        }
        CallOptions options = CallOptions.DEFAULT;
        if (deadline != null) {
            options = options.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
        }
        GrpcStream stream = new GrpcStream(this, types, printer, policy);
        current = stream;
        if (isStopped()) {
            return Ended.because(Cause.CLOSED, "stopped");
        }
        connectionOpened();
        stream.start(channel.newCall(callDescriptor, options), credentials.requestMetadata(), request);
        return stream.awaitEnd();
    }

    private byte[] request() {
        DynamicMessage.Builder builder = DynamicMessage.newBuilder(types.requestType());
        String json = requestJson();
        try {
            JsonFormat.parser().usingTypeRegistry(types.typeRegistry()).merge(json, builder);
        } catch (InvalidProtocolBufferException e) {
            throw new GrpcSetupException("`source.grpc.request` is not a " + types.requestType().getFullName()
                    + " message in JSON (" + e.getMessage() + "); fix it to match the request type of " + method);
        }
        return builder.build().toByteArray();
    }

    private void useTypes(GrpcMethodTypes resolved) {
        types = resolved;
        callDescriptor = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
                .setFullMethodName(method)
                .setRequestMarshaller(RawBytes.MARSHALLER)
                .setResponseMarshaller(RawBytes.MARSHALLER) // parsed by us, so a message that is not of the type is dead-lettered as sent
                .build();
        printer = JsonFormat.printer().usingTypeRegistry(resolved.typeRegistry()).preservingProtoFieldNames()
                .alwaysPrintFieldsWithNoPresence().omittingInsignificantWhitespace();
    }

    @Override
    protected void abortSession() {
        GrpcStream stream = current;
        if (stream != null) {
            stream.abort(Ended.because(Cause.ERROR, "aborted"));
        }
    }

    @Override
    protected void closeSession() {
        GrpcStream stream = current;
        if (stream != null) {
            stream.abort(Ended.because(Cause.CLOSED, "stopped"));
        }
        if (channel != null) {
            channel.shutdownNow();
        }
    }

    // ---- called by GrpcStream, on the channel's threads ----

    boolean isCurrent(GrpcStream stream) {
        return current == stream && !isStopped();
    }

    void deliver(byte[] json, Runnable next) {
        receive(json, null, next);
    }

    void rejectMessage(byte[] message, String reason, String detail, Runnable next) {
        reject(message, reason, detail, next);
    }

    private static String jsonEscaped(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** For the reconnect log: where the stream stands without naming record contents. */
    @Override
    public String toString() {
        return "GrpcSource[" + method + " at " + target + "]";
    }
}
