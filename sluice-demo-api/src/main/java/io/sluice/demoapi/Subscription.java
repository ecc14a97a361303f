package io.sluice.demoapi;

import com.google.protobuf.DynamicMessage;

/**
 * A {@code StreamUsersRequest} over the server's defaults: fields left at their default (0, empty) take the server's.
 *
 * @param since            the last seq the client has (seq = user index + 1); 0 starts at the first user
 * @param total            users in the sequence; -1 endless
 * @param cancelAfter      messages after which this call is cancelled (0: never)
 * @param unavailableEvery every n-th call is refused with UNAVAILABLE (0: never)
 */
record Subscription(long since, String seed, double rate, long total, FaultSpec faults, long cancelAfter,
                    long unavailableEvery) {

    static Subscription of(DynamicMessage request, DemoApiSettings defaults) {
        long since = number(request, "since");
        if (since < 0) {
            throw new IllegalArgumentException("since must be >= 0 (the last seq received), got " + since);
        }
        String seed = text(request, "seed");
        double rate = (double) request.getField(GrpcUsersProto.REQUEST.findFieldByName("rate"));
        long total = number(request, "total");
        String fail = text(request, "fail");
        return new Subscription(since, seed.isEmpty() ? defaults.seed() : seed, rate > 0 ? rate : defaults.rate(),
                total > 0 ? total : defaults.total(), fail.isEmpty() ? defaults.faults() : FaultSpec.parse(fail),
                number(request, "cancel_after"), number(request, "unavailable_every"));
    }

    private static long number(DynamicMessage request, String field) {
        return (long) request.getField(GrpcUsersProto.REQUEST.findFieldByName(field));
    }

    private static String text(DynamicMessage request, String field) {
        return (String) request.getField(GrpcUsersProto.REQUEST.findFieldByName(field));
    }
}
