package io.sluice.demoapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** One {@code StreamUsers} call, on a stream thread: paced, faulted, and held back by the client's flow control. */
final class GrpcUserStream {
    private final Subscription subscription;
    private final ServerCallStreamObserver<byte[]> call;
    private final AtomicLong sent;
    private final UserGenerator users;
    private final Object readiness = new Object();
    private volatile boolean gone;

    GrpcUserStream(Subscription subscription, ServerCallStreamObserver<byte[]> call, AtomicLong sent) {
        this.subscription = subscription;
        this.call = call;
        this.sent = sent;
        this.users = new UserGenerator(subscription.seed());
        call.setOnReadyHandler(this::wake);
        call.setOnCancelHandler(() -> {
            gone = true;
            wake();
        });
    }

    void run() {
        long sentHere = 0;
        long nanosPerUser = subscription.rate() > 0 ? (long) (1e9 / subscription.rate()) : 0;
        long next = System.nanoTime();
        try {
            for (long seq = subscription.since() + 1; !gone; seq++) {
                if (subscription.total() >= 0 && seq > subscription.total()) {
                    awaitGone(); // a finite sequence is over: stay open and silent, as a live feed would
                    return;
                }
                if (subscription.cancelAfter() > 0 && sentHere == subscription.cancelAfter()) {
                    call.onError(Status.CANCELLED.withDescription("injected cancel after " + sentHere + " messages")
                            .asRuntimeException());
                    return;
                }
                FaultSpec.ItemFault fault = subscription.faults().rollItem();
                if (fault == FaultSpec.ItemFault.DROP) {
                    call.onError(Status.CANCELLED.withDescription("injected drop").asRuntimeException());
                    return;
                }
                if (fault == FaultSpec.ItemFault.SLOW) {
                    Thread.sleep(subscription.faults().slowMillis());
                }
                if (nanosPerUser > 0) {
                    next += nanosPerUser;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                if (!awaitReady()) {
                    return;
                }
                call.onNext(event(seq, fault == FaultSpec.ItemFault.MALFORMED));
                sent.incrementAndGet();
                sentHere++;
            }
        } catch (InterruptedException e) {
            call.onError(Status.UNAVAILABLE.withDescription("the demo API is stopping").asRuntimeException());
        } catch (RuntimeException clientGone) {
            // the call was cancelled between our check and the send
        }
    }

    private byte[] event(long seq, boolean withoutKey) {
        ObjectNode user = users.user(seq - 1);
        if (withoutKey) {
            ((ObjectNode) user.get("login")).remove("uuid");
        }
        return GrpcUsersProto.event(seq, user).toByteArray();
    }

    /** Waits while the client's flow control holds us back; false once the client went away. */
    private boolean awaitReady() throws InterruptedException {
        synchronized (readiness) {
            while (!gone && !call.isReady()) {
                readiness.wait(100);
            }
        }
        return !gone;
    }

    private void awaitGone() throws InterruptedException {
        synchronized (readiness) {
            while (!gone) {
                readiness.wait(1000);
            }
        }
    }

    private void wake() {
        synchronized (readiness) {
            readiness.notifyAll();
        }
    }
}
