package io.sluice.stream.adaptive;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor's eyes on Cassandra's other clients, for {@link NeighbourYield}: every {@value #PROBE_EVERY_MS} ms a
 * probe read (while no other client is there, only now and then: {@link ProbeSchedule}) ({@code SELECT release_version FROM system.local}: one tiny request, answered by the node itself, the kind
 * an online application sends), and once a second the request counts of every connection in each live node's
 * {@code system_views.clients}, less Sluice's own (its sessions name themselves {@value #APPLICATION_NAME}). Both go
 * to every {@link WriteController} it feeds. One watch per session, so an executor that writes several tables still
 * sends one probe stream and one poll. Two daemon threads, so a poll that hangs on a stopped node never holds up the
 * probes. When Cassandra cannot list its clients (a version before 4.0, or a role without access to
 * {@code system_views}), the watch says so once in the log and Sluice does not yield; the write path never depends on
 * it.
 */
public final class NeighbourWatch implements AutoCloseable {
    /** The application name Sluice's writer sessions send in their STARTUP message. */
    public static final String APPLICATION_NAME = "sluice-stream";
    static final long PROBE_EVERY_MS = 50;
    private static final Logger LOG = LoggerFactory.getLogger(NeighbourWatch.class);
    private static final SimpleStatement PROBE = SimpleStatement.newInstance("SELECT release_version FROM system.local")
            .setIdempotent(true).setTimeout(Duration.ofSeconds(2));
    private static final String CLIENTS = "SELECT address, port, client_options, request_count FROM system_views.clients";

    private static final Map<CqlSession, NeighbourWatch> WATCHES = new ConcurrentHashMap<>();

    private final CqlSession session;
    private final List<WriteController> controllers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "sluice-neighbour-watch");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Long> probes = new ArrayList<>();
    private Map<String, Long> lastCounts;
    private long lastPollNanos;
    /** False while polls fail; true at first, so the first failure is logged. */
    private boolean readable = true;
    private final ProbeSchedule schedule = new ProbeSchedule();
    /**
     * The probe every {@value #PROBE_EVERY_MS} ms, scheduled only for the seconds that are probed
     * ({@link ProbeSchedule}): a timer that woke twenty times a second to find it had nothing to do cost the executor
     * more CPU than the once-a-second poll; null between probed seconds.
     */
    private ScheduledFuture<?> probeTimer;
    private volatile boolean closed;

    private NeighbourWatch(CqlSession session) {
        this.session = session;
    }

    /** The watch of this session, started at the first call; it runs for the life of the session. */
    public static NeighbourWatch of(CqlSession session) {
        return WATCHES.computeIfAbsent(session, s -> {
            NeighbourWatch watch = new NeighbourWatch(s);
            watch.probeEach(true);
            // The first look at once: its counts make the first rate a second later, and until a controller hears
            // that, it writes at its minimum rate (NeighbourYield).
            watch.timer.scheduleWithFixedDelay(watch::second, 0, 1, TimeUnit.SECONDS);
            return watch;
        });
    }

    /** From the next second on, {@code controller} hears what the watch sees. */
    public NeighbourWatch feed(WriteController controller) {
        controllers.add(controller);
        return this;
    }

    /** {@code controller} is replaced (new settings): the watch stops feeding it. */
    public void stopFeeding(WriteController controller) {
        controllers.remove(controller);
    }

    /**
     * Stops the watch of {@code session}, if it has one, before the session closes: a poll that meets a closing session
     * is not an outage worth a warning.
     */
    public static void stop(CqlSession session) {
        NeighbourWatch watch = WATCHES.get(session);
        if (watch != null) {
            watch.close();
        }
    }

    /** Stops watching; a watch lives as long as its session, so only tests and {@link #stop} call this. */
    @Override
    public void close() {
        closed = true;
        WATCHES.remove(session, this);
        timer.shutdownNow();
    }

    /** Starts or stops the probes: from now on, each {@value #PROBE_EVERY_MS} ms or none. */
    private synchronized void probeEach(boolean probing) {
        if (probing && probeTimer == null && !closed) {
            probeTimer = timer.scheduleWithFixedDelay(this::probe, 0, PROBE_EVERY_MS, TimeUnit.MILLISECONDS);
        } else if (!probing && probeTimer != null) {
            probeTimer.cancel(false);
            probeTimer = null;
        }
    }

    private void probe() {
        long start = System.nanoTime();
        session.executeAsync(PROBE).whenComplete((rows, error) -> {
            if (error == null) {
                synchronized (probes) {
                    probes.add(System.nanoTime() - start);
                }
            }
        });
    }

    private void second() {
        if (session.isClosed()) {
            close(); // the executor is shutting down: nothing left to watch
            return;
        }
        try {
            Double others = othersPerSecond();
            long[] window;
            synchronized (probes) {
                window = probes.stream().mapToLong(Long::longValue).toArray();
                probes.clear();
            }
            if (others == null || closed) {
                // The first look (counts, but no rate yet: nothing to tell, the probes go on), or the watch stopped.
                return;
            }
            for (WriteController controller : controllers) {
                String change = controller.onNeighbourSecond(others, window);
                if (change != null) {
                    LOG.info("sink.adaptive.neighbours: {}", change);
                }
            }
            probeEach(schedule.probeNext(controllers.stream().anyMatch(WriteController::othersActive)));
        } catch (RuntimeException e) {
            LOG.warn("neighbour watch: {}", e.toString()); // never let the timer die: the next second tries again
        }
    }

    /**
     * Requests per second of every client that is not Sluice, on every live node; NaN when Cassandra cannot say; null
     * at the first look after a start or an outage (counts, but no rate yet).
     */
    private Double othersPerSecond() {
        Map<String, Long> counts = new HashMap<>();
        try {
            for (Node node : session.getMetadata().getNodes().values()) {
                if (node.getState() != NodeState.UP) {
                    continue;
                }
                for (Row row : session.execute(SimpleStatement.newInstance(CLIENTS).setNode(node)
                        .setTimeout(Duration.ofSeconds(2)))) {
                    Map<String, String> options = row.getMap("client_options", String.class, String.class);
                    if (options != null && APPLICATION_NAME.equals(options.get("APPLICATION_NAME"))) {
                        continue;
                    }
                    counts.put(node.getHostId() + "|" + row.getInetAddress("address") + ":" + row.getInt("port"),
                            row.getLong("request_count"));
                }
            }
        } catch (RuntimeException e) {
            if (closed || session.isClosed()) {
                return Double.NaN; // shutting down, not an outage
            }
            if (readable) { // said once per outage, not once a second
                readable = false;
                LOG.warn("sink.adaptive.neighbours: cannot read system_views.clients ({}); Sluice does not yield to "
                        + "other clients until it can", e.getMessage());
            }
            lastCounts = null;
            return Double.NaN;
        }
        if (!readable) {
            readable = true;
            LOG.info("sink.adaptive.neighbours: system_views.clients can be read again");
        }
        long now = System.nanoTime();
        Map<String, Long> before = lastCounts;
        long since = lastPollNanos;
        lastCounts = counts;
        lastPollNanos = now;
        if (before == null) {
            return null;
        }
        long requests = 0;
        for (Map.Entry<String, Long> connection : counts.entrySet()) {
            requests += Math.max(0, connection.getValue() - before.getOrDefault(connection.getKey(), 0L));
        }
        return requests / ((now - since) / 1e9);
    }
}
