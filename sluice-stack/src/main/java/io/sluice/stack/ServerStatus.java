package io.sluice.stack;

import java.util.OptionalLong;

/**
 * What {@code sluice status} shows for one server.
 *
 * @param server  display name, e.g. "Kafka"
 * @param running whether a live process from our pid file is this server
 * @param pid     its pid when running
 * @param address where clients connect, e.g. "127.0.0.1:9092"
 * @param ready   whether it answered a real query just now
 */
public record ServerStatus(String server, boolean running, OptionalLong pid, String address, boolean ready) {

    @Override
    public String toString() {
        if (!running) {
            return server + ": stopped (" + address + ")";
        }
        return server + ": running, pid " + pid.getAsLong() + ", " + address + (ready ? ", ready" : ", not ready yet");
    }
}
