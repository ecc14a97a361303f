package io.sluice.ingest.source.grpc;

import com.google.protobuf.AnyProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DurationProto;
import com.google.protobuf.EmptyProto;
import com.google.protobuf.FieldMaskProto;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.StructProto;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.WrappersProto;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The request and response types of one server-streaming method, built at run time from descriptor protos (from a
 * descriptor set file or server reflection): no generated code for the user's service. Well-known types
 * ({@code google/protobuf/timestamp.proto}, ...) that a descriptor set or server leaves out come from protobuf-java.
 */
public record GrpcMethodTypes(MethodDescriptor method, JsonFormat.TypeRegistry typeRegistry) {
    private static final Map<String, FileDescriptor> WELL_KNOWN = Stream.of(AnyProto.getDescriptor(),
                    DurationProto.getDescriptor(), EmptyProto.getDescriptor(), FieldMaskProto.getDescriptor(),
                    StructProto.getDescriptor(), TimestampProto.getDescriptor(), WrappersProto.getDescriptor())
            .collect(java.util.stream.Collectors.toMap(FileDescriptor::getName, f -> f));

    public Descriptor requestType() {
        return method.getInputType();
    }

    public Descriptor responseType() {
        return method.getOutputType();
    }

    /** {@code package.Service} of {@code package.Service/Method}. */
    public static String serviceOf(String fullMethod) {
        return fullMethod.substring(0, fullMethod.indexOf('/'));
    }

    /** Reads a {@code protoc --descriptor_set_out} file; a problem is one sentence naming the key. */
    public static GrpcMethodTypes fromDescriptorSet(Path file, String fullMethod) {
        FileDescriptorSet set;
        try {
            set = FileDescriptorSet.parseFrom(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new GrpcSetupException("`source.grpc.descriptor_set` " + file + " is not a descriptor set ("
                    + e.getMessage() + "); write it with `protoc --include_imports --descriptor_set_out=FILE`");
        }
        return from(set.getFileList(), fullMethod, "`source.grpc.descriptor_set` " + file);
    }

    /**
     * Builds the files and finds the method.
     *
     * @param origin where the descriptors came from, for the sentence when the method is not there
     */
    public static GrpcMethodTypes from(List<FileDescriptorProto> protos, String fullMethod, String origin) {
        Map<String, FileDescriptorProto> byName = new HashMap<>();
        protos.forEach(p -> byName.put(p.getName(), p));
        Map<String, FileDescriptor> built = new HashMap<>();
        List<FileDescriptor> files = new ArrayList<>();
        for (FileDescriptorProto proto : protos) {
            files.add(build(proto.getName(), byName, built, origin));
        }
        String serviceName = serviceOf(fullMethod);
        String methodName = fullMethod.substring(fullMethod.indexOf('/') + 1);
        for (FileDescriptor file : files) {
            for (ServiceDescriptor service : file.getServices()) {
                if (!service.getFullName().equals(serviceName)) {
                    continue;
                }
                MethodDescriptor method = service.findMethodByName(methodName);
                if (method == null) {
                    throw new GrpcSetupException("service " + serviceName + " (from " + origin + ") has no method "
                            + methodName + "; fix `source.grpc.method`");
                }
                if (!method.isServerStreaming() || method.isClientStreaming()) {
                    throw new GrpcSetupException("`source.grpc.method` " + fullMethod + " is not a server-streaming "
                            + "method (one request, a stream of responses); Sluice reads server-streaming methods only");
                }
                JsonFormat.TypeRegistry.Builder registry = JsonFormat.TypeRegistry.newBuilder();
                built.values().forEach(f -> registry.add(f.getMessageTypes()));
                return new GrpcMethodTypes(method, registry.build());
            }
        }
        throw new GrpcSetupException(origin + " has no service " + serviceName + "; fix `source.grpc.method`");
    }

    private static FileDescriptor build(String name, Map<String, FileDescriptorProto> byName,
                                        Map<String, FileDescriptor> built, String origin) {
        FileDescriptor done = built.get(name);
        if (done != null) {
            return done;
        }
        FileDescriptorProto proto = byName.get(name);
        if (proto == null) {
            FileDescriptor wellKnown = WELL_KNOWN.get(name);
            if (wellKnown != null) {
                return wellKnown;
            }
            throw new GrpcSetupException(origin + " lacks " + name + ", which the method's types import; "
                    + "write the descriptor set with `protoc --include_imports`");
        }
        List<FileDescriptor> dependencies = new ArrayList<>();
        for (String dependency : proto.getDependencyList()) {
            dependencies.add(build(dependency, byName, built, origin));
        }
        try {
            FileDescriptor file = FileDescriptor.buildFrom(proto, dependencies.toArray(FileDescriptor[]::new));
            built.put(name, file);
            return file;
        } catch (DescriptorValidationException e) {
            throw new GrpcSetupException(origin + " holds an invalid " + name + ": " + e.getMessage());
        }
    }

    /** Parses a response message's bytes; null when they are not a message of the response type. */
    public com.google.protobuf.DynamicMessage parseResponse(byte[] bytes) {
        try {
            return com.google.protobuf.DynamicMessage.parseFrom(responseType(), bytes);
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }
}
