package io.sluice.stack;

import java.util.OptionalLong;

/**
 * One node of a {@link ClusterStack} as seen from its pid file, without querying it (that is
 * {@link LocalServer#status()}).
 *
 * @param name    what {@link ClusterStack#kill} and {@link ClusterStack#restart} take, e.g. {@code kafka-2}
 * @param address where clients connect, e.g. {@code 127.0.0.2:9042}
 * @param pid     its process when alive
 * @param alive   whether a live process from its pid file is this node
 */
public record ClusterNode(String name, String address, OptionalLong pid, boolean alive) {

    static ClusterNode of(LocalServer<?> server) {
        OptionalLong pid = server.pid();
        return new ClusterNode(server.name(), server.address(), pid, pid.isPresent());
    }

    @Override
    public String toString() {
        return name + " " + address + (alive ? " pid " + pid.getAsLong() : " stopped");
    }
}
