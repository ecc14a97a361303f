package io.sluice.ingest.source.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.sluice.ingest.source.push.PushSource;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Each status code is handled on purpose. */
class GrpcStatusPolicyTest {
    private final AtomicInteger refreshes = new AtomicInteger();
    private static final io.sluice.config.PipelineConfig CONFIG = io.sluice.ingest.TestConfigs.config(Map.of(
            "source.type", "grpc", "source.url", "grpc://127.0.0.1:50051",
            "source.grpc.method", "demo.users.v1.Users/Stream", "source.records_path", "", "record.key", "id"));
    private final GrpcCredentials credentials = new GrpcCredentials(CONFIG, false,
            io.sluice.ingest.source.http.ApiCredentials.from(CONFIG, java.net.http.HttpClient.newHttpClient())) {
        @Override
        public void refresh() {
            refreshes.incrementAndGet();
        }
    };
    private final GrpcStatusPolicy policy = new GrpcStatusPolicy("demo.users.v1.Users/Stream", credentials);

    @Test
    void unavailableIsRetriedAfterTheServersRetryInfo() {
        com.google.rpc.Status details = com.google.rpc.Status.newBuilder().setCode(Code.UNAVAILABLE_VALUE)
                .setMessage("maintenance").addDetails(Any.pack(RetryInfo.newBuilder()
                        .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(3).setNanos(500_000_000))
                        .build())).build();
        Status status = StatusProto.toStatusRuntimeException(details).getStatus();
        Metadata trailers = StatusProto.toStatusRuntimeException(details).getTrailers();

        PushSource.Ended end = policy.ended(status, trailers);

        assertThat(end.finished()).as("UNAVAILABLE is retried").isFalse();
        assertThat(end.retryAfter()).as("the wait the server asked for in google.rpc.RetryInfo")
                .isEqualTo(Duration.ofMillis(3500));
    }

    @Test
    void resourceExhaustedWithoutRetryInfoUsesTheBackoff() {
        PushSource.Ended end = policy.ended(Status.RESOURCE_EXHAUSTED.withDescription("quota"), new Metadata());
        assertThat(end.finished()).as("RESOURCE_EXHAUSTED is retried").isFalse();
        assertThat(end.retryAfter()).as("no server wait: the backoff decides").isNull();
    }

    @Test
    void invalidArgumentStopsWithASentenceNamingTheMethodAndTheKey() {
        PushSource.Ended end = policy.ended(Status.INVALID_ARGUMENT.withDescription("since is not a number"),
                new Metadata());
        assertThat(end.finished()).as("INVALID_ARGUMENT is not retried").isTrue();
        assertThat(end.cause()).isEqualTo(PushSource.Cause.FATAL);
        assertThat(end.detail()).isEqualTo("demo.users.v1.Users/Stream refused the request as INVALID_ARGUMENT "
                + "(since is not a number); fix `source.grpc.request`");
    }

    @Test
    void unauthenticatedRefreshesTheCredentialsOnceThenStops() {
        PushSource.Ended first = policy.ended(Status.UNAUTHENTICATED, new Metadata());
        assertThat(first.finished()).as("the first UNAUTHENTICATED is retried").isFalse();
        assertThat(refreshes).as("with refreshed credentials").hasValue(1);

        PushSource.Ended second = policy.ended(Status.UNAUTHENTICATED, new Metadata());
        assertThat(second.finished()).as("the second one in a row stops the source").isTrue();
        assertThat(second.detail()).contains("UNAUTHENTICATED again").contains("`source.headers`");
        assertThat(refreshes).as("credentials are refreshed only once").hasValue(1);
    }

    @Test
    void aMessageInBetweenEarnsAnotherRefresh() {
        policy.ended(Status.UNAUTHENTICATED, new Metadata());
        policy.messageArrived();
        assertThat(policy.ended(Status.UNAUTHENTICATED, new Metadata()).finished())
                .as("credentials that worked for a while are refreshed again, not given up on").isFalse();
        assertThat(refreshes).hasValue(2);
    }

    @Test
    void anEndedStreamAndADeadlineReconnect() {
        assertThat(policy.ended(Status.OK, new Metadata()).cause()).isEqualTo(PushSource.Cause.CLOSED);
        assertThat(policy.ended(Status.DEADLINE_EXCEEDED, new Metadata()).finished()).isFalse();
    }
}
