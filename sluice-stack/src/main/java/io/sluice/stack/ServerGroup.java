package io.sluice.stack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** What {@link LocalStack} and {@link ClusterStack} do to several servers at once. */
final class ServerGroup {

    private ServerGroup() {
    }

    /** Two servers of one stack configured with the same address and port would only fail at launch, obscurely. */
    static void checkNoSharedPorts(List<LocalServer<?>> servers) {
        Map<String, String> owners = new HashMap<>();
        for (LocalServer<?> server : servers) {
            for (LocalServer.PortUse use : server.ports()) {
                String owner = server.name() + "'s " + use.purpose() + " port";
                String previous = owners.putIfAbsent(use.host() + ":" + use.port(), owner);
                if (previous != null) {
                    throw new StackException(previous + " and " + owner + " are both set to " + use.port()
                            + (Ports.LOOPBACK.equals(use.host()) ? "" : " on " + use.host()) + "; give them different ports.");
                }
            }
        }
    }

    /** Waits for every server in parallel: none waits for another. */
    static void awaitAll(List<? extends LocalServer<?>> servers) {
        join(servers.stream().map(server -> CompletableFuture.runAsync(server::awaitReady)).toList());
    }

    /** Stops every server in parallel (SIGTERM, then SIGKILL after each one's stop timeout). */
    static List<StopOutcome> stopAll(List<? extends LocalServer<?>> servers) {
        return join(servers.stream().map(server -> CompletableFuture.supplyAsync(server::stop)).toList());
    }

    /** The results in order; the first failure is thrown with the others suppressed in it. */
    static <T> List<T> join(List<CompletableFuture<T>> futures) {
        List<T> results = new ArrayList<>();
        RuntimeException first = null;
        for (CompletableFuture<T> future : futures) {
            try {
                results.add(future.join());
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
                if (first == null) {
                    first = cause;
                } else {
                    first.addSuppressed(cause);
                }
            }
        }
        if (first != null) {
            throw first;
        }
        return results;
    }

    static void stopQuietly(LocalServer<?> server, RuntimeException failure) {
        try {
            server.stop();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
