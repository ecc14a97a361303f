package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keys of {@code source.type: grpc} and the rules that tie them together. */
class GrpcConfigTest {

    private static PipelineConfig parse(Map<String, String> overrides) {
        return PipelineConfigTest.parse(PipelineConfigTest.MINIMAL, overrides);
    }

    private static Map<String, String> grpc(String... keyValues) {
        Map<String, String> map = new HashMap<>(Map.of("source.type", "grpc", "source.url", "grpc://127.0.0.1:50051",
                "source.grpc.method", "demo.users.v1.Users/Stream"));
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private static void assertRejected(Map<String, String> overrides, String key, String message) {
        assertThatThrownBy(() -> parse(overrides))
                .as("the pipeline is rejected naming `%s`", key)
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).extracting(ConfigProblem::key).contains(key);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @Test
    void aGrpcSourceReadsItsKeysTyped(@TempDir Path dir) throws Exception {
        Path descriptors = Files.write(dir.resolve("users.desc"), new byte[] {1});
        PipelineConfig config = parse(grpc("source.grpc.request", "{\"since\":\"${position}\"}",
                "source.position_path", "seq", "source.initial_position", "0", "source.grpc.deadline", "10m",
                "source.grpc.descriptor_set", descriptors.toString(), "source.headers.x-tenant", "acme"));
        assertThat(config.sourceGrpcMethod()).isEqualTo("demo.users.v1.Users/Stream");
        assertThat(config.sourceGrpcDeadline()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.sourceGrpcDescriptorSet()).isEqualTo(descriptors.toString());
        assertThat(config.resumeTemplateHasPosition()).as("the request carries the resume position").isTrue();
        assertThat(config.sourceHeaders()).containsEntry("x-tenant", "acme");
    }

    @Test
    void theRequestDefaultsToAnEmptyMessageAndReflection() {
        PipelineConfig config = parse(grpc());
        assertThat(config.sourceGrpcRequest()).isEqualTo("{}");
        assertThat(config.sourceGrpcDescriptorSet()).as("no descriptor set: server reflection").isNull();
        assertThat(config.sourceGrpcDeadline()).isNull();
    }

    @Test
    void aGrpcSourceNeedsAGrpcUrl() {
        assertRejected(grpc("source.url", "http://127.0.0.1:50051"), "source.url",
                "must use grpc or grpcs for `source.type` grpc");
    }

    @Test
    void aGrpcSourceNeedsAMethod() {
        Map<String, String> keys = grpc();
        keys.remove("source.grpc.method");
        assertRejected(keys, "source.grpc.method", "is required for `source.type` grpc");
    }

    @Test
    void theMethodMustBeAFullMethodName() {
        assertRejected(grpc("source.grpc.method", "demo.users.v1.Users.Stream"), "source.grpc.method",
                "must be a full method name, package.Service/Method");
    }

    @Test
    void aMissingDescriptorSetIsRejected() {
        assertRejected(grpc("source.grpc.descriptor_set", "/no/such/users.desc"), "source.grpc.descriptor_set",
                "is not a readable file");
    }

    @Test
    void aPlaceholderInTheRequestNeedsAPositionPath() {
        assertRejected(grpc("source.grpc.request", "{\"since\":\"${position}\"}", "source.initial_position", "0"),
                "source.position_path", "is required when `source.grpc.request` (its ${position}) resumes");
    }

    @Test
    void aPlaceholderInTheRequestNeedsAFirstConnectValue() {
        assertRejected(grpc("source.grpc.request", "{\"since\":\"${position}\"}", "source.position_path", "seq"),
                "source.initial_position", "is required when `source.grpc.request` uses ${position}");
    }

    @Test
    void frameCountingIsNotOfferedForGrpc() {
        assertRejected(grpc("source.position_path", PipelineConfig.FRAME_INDEX), "source.position_path",
                "is not supported for `source.type` grpc");
    }

    @Test
    void theWebSocketResumeKeysAreRejectedForGrpc() {
        assertRejected(grpc("source.subscribe_message", "{}"), "source.subscribe_message",
                "applies only to `source.type` websocket");
    }

    @Test
    void grpcKeysBelongToGrpc() {
        assertRejected(Map.of("source.type", "websocket", "source.url", "ws://127.0.0.1/feed",
                "source.grpc.method", "a.B/C"), "source.grpc.method", "applies only to `source.type` grpc, not websocket");
    }
}
