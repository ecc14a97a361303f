package io.sluice.servers.watchdog;

/** Stands in for a server main: prints its arguments, then runs until the JVM is told to exit. */
public final class SleepingServer {

    public static void main(String[] args) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown hook ran")));
        System.out.println("started with " + String.join(",", args));
        System.out.flush();
        Thread.sleep(120_000);
    }
}
