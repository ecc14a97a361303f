package io.sluice.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code source.type: grpc} needs: a method to call, a descriptor set file that exists when one is named, and
 * positions read from the messages (a gRPC stream has no frame numbers a server would resume by). The
 * {@code source.grpc.*} keys belong to {@code grpc} alone.
 */
final class GrpcKeyRules {
    private GrpcKeyRules() {
    }

    static void check(PipelineConfig config, boolean grpc, List<ConfigProblem> problems) {
        if (!grpc) {
            onlyForGrpc(config, "source.grpc.method", config.sourceGrpcMethod(), problems);
            onlyForGrpc(config, "source.grpc.descriptor_set", config.sourceGrpcDescriptorSet(), problems);
            onlyForGrpc(config, "source.grpc.deadline",
                    config.sourceGrpcDeadline() == null ? null : Durations.format(config.sourceGrpcDeadline()), problems);
            if (!config.sourceGrpcRequest().equals("{}")) {
                onlyForGrpc(config, "source.grpc.request", config.sourceGrpcRequest(), problems);
            }
            return;
        }
        if (config.sourceGrpcMethod() == null) {
            problems.add(new ConfigProblem("source.grpc.method", null, "is required for `source.type` grpc: name the "
                    + "server-streaming method to call, package.Service/Method"));
        }
        String descriptorSet = config.sourceGrpcDescriptorSet();
        if (descriptorSet != null && !Files.isReadable(Path.of(descriptorSet))) {
            problems.add(new ConfigProblem("source.grpc.descriptor_set", descriptorSet, "is not a readable file; write "
                    + "one with `protoc --include_imports --descriptor_set_out=FILE your.proto`, or remove the key to "
                    + "use server reflection"));
        }
        if (PipelineConfig.FRAME_INDEX.equals(config.sourcePositionPath())) {
            problems.add(new ConfigProblem("source.position_path", PipelineConfig.FRAME_INDEX, "is not supported for "
                    + "`source.type` grpc: name the message field that holds the feed's position, such as seq"));
        }
        if (config.sourceResumeParam() != null) {
            problems.add(new ConfigProblem("source.resume_param", config.sourceResumeParam(), "applies only to "
                    + "`source.type` websocket; a gRPC source resumes through " + PipelineConfig.POSITION_PLACEHOLDER
                    + " in `source.grpc.request`"));
        }
        if (config.sourceSubscribeMessage() != null) {
            problems.add(new ConfigProblem("source.subscribe_message", config.sourceSubscribeMessage(), "applies only to "
                    + "`source.type` websocket; a gRPC source sends `source.grpc.request`"));
        }
    }

    private static void onlyForGrpc(PipelineConfig config, String key, String value, List<ConfigProblem> problems) {
        if (value != null) {
            problems.add(new ConfigProblem(key, value, "applies only to `source.type` grpc, not " + config.sourceType()));
        }
    }
}
