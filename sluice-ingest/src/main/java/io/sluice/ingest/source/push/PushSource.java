package io.sluice.ingest.source.push;

import io.sluice.config.ConnectionFailures;
import io.sluice.config.ConnectionRefusedException;
import io.sluice.config.PipelineConfig;
import io.sluice.ingest.SourceFailedException;
import io.sluice.ingest.Ticker;
import io.sluice.config.Backoff;
import io.sluice.ingest.source.SourceContext;
import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.SourceRecord;
import io.sluice.ingest.source.SourceTask;
import io.sluice.ingest.source.http.ApiCredentials;
import io.sluice.ingest.source.http.SourceTls;
import io.sluice.ingest.source.http.Urls;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every push source (SSE, WebSocket, gRPC) shares, so a subclass only connects and reads. This base owns:
 * <ul>
 *   <li>the reader thread, which runs one {@link #session()} (a connection, start to end) after another, with the
 *       shared {@link Backoff} in between, and counts every reconnect by {@link Cause};</li>
 *   <li>a watchdog with two clocks: {@code source.stall_timeout} (nothing at all arrived: the connection is dead) and
 *       {@code source.idle_timeout} (no <em>record</em> arrived, though heartbeats or pongs still do). Neither runs
 *       while the source waits for Sluice's own full queue (backpressure), see {@link StallWatch};</li>
 *   <li>decoding ({@link PushRecordDecoder}) and the hand-off of records and rejected payloads, in feed order, to
 *       the bounded {@link RecordHandoff} that {@link #poll} drains;</li>
 *   <li>positions: the last one <em>received</em> into the hand-off is where a reconnect resumes (what came before is
 *       already on its way to Kafka), the last one <em>committed</em> is where a restart resumes.</li>
 *   <li>credentials ({@link ApiCredentials}): a subclass applies {@link #credentials()} on every connect; a 401 ends
 *       the session through {@link #unauthorized}, which fetches a fresh OAuth2 token for the reconnect once. Refused
 *       again (or refused a credential no refresh can change), or refused by the token endpoint, or shown a
 *       certificate it does not trust, the source stops reading and {@link #poll} throws the
 *       {@link ConnectionRefusedException} (one sentence, exit code 4 or 5) once the records before it are drained.</li>
 * </ul>
 */
public abstract class PushSource implements SourceTask {
    private static final Logger LOG = LoggerFactory.getLogger(PushSource.class);

    /** Why a connection was replaced; the tag of the reconnect counts. */
    public static final class Cause {
        /** The server ended the stream or closed the socket (a close frame, end of body). */
        public static final String CLOSED = "closed";
        /** Connecting failed, or the connection broke (reset, I/O error). */
        public static final String ERROR = "error";
        /** Nothing at all arrived for {@code source.stall_timeout}. */
        public static final String STALL = "stall";
        /** No record arrived for {@code source.idle_timeout}, though the connection was alive. */
        public static final String IDLE = "idle";
        /** The server answered, but not with a stream (HTTP status, content type, oversized message). */
        public static final String REFUSED = "refused";
        /** The server refused the request for good (a gRPC INVALID_ARGUMENT): the source stops the pipeline. */
        public static final String FATAL = "fatal";

        private Cause() {
        }
    }

    /**
     * How a session ended.
     *
     * @param retryAfter the server's own wait (HTTP Retry-After), or null
     * @param finished   true when the server said the stream is over for good (SSE HTTP 204): no reconnect
     */
    public record Ended(String cause, String detail, Duration retryAfter, boolean finished) {
        public static Ended because(String cause, String detail) {
            return new Ended(cause, detail, null, false);
        }

        public static Ended over(String detail) {
            return new Ended(Cause.CLOSED, detail, null, true);
        }

        /** Retrying cannot help: {@code sentence} (naming the key to fix) fails the pipeline once the hand-off is drained. */
        public static Ended fatal(String sentence) {
            return new Ended(Cause.FATAL, sentence, null, true);
        }
    }

    private final String kind;
    protected final Ticker ticker;
    private final DoubleSupplier random;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong connections = new AtomicLong();
    private final Map<String, AtomicLong> reconnects = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> ignored = new ConcurrentHashMap<>();

    private SourceContext context;
    private String safeUrl;
    private RecordHandoff handoff;
    private PushRecordDecoder decoder;
    private Backoff backoff; // guarded by this: reset from client threads, used by the reader
    private StallWatch liveness;
    private StallWatch idleness; // null without source.idle_timeout
    private ScheduledExecutorService watchdog;
    private Thread reader;
    private ApiCredentials credentials;
    private PipelineConfig config;

    private volatile ConnectionRefusedException refusal;
    /** The last session ended with a 401 and the token was refreshed: another 401 before a connect works is final. */
    private volatile boolean refreshedAfterUnauthorized;

    private volatile SourcePosition committed;
    private volatile SourcePosition lastReceived;
    private volatile boolean payloadOnThisConnection;
    private volatile boolean finished;
    private volatile Ended interruption;
    private volatile String fatal;

    /**
     * @param kind      how messages name the source ("SSE", "WebSocket")
     * @param committed where to resume after on start; null falls back to {@link SourceContext#resumeFrom()}
     */
    protected PushSource(String kind, SourcePosition committed, Ticker ticker, DoubleSupplier random) {
        this.kind = kind;
        this.committed = committed;
        this.ticker = ticker;
        this.random = random;
    }

    // ---- what a subclass provides ----

    /** Reads the subclass's own keys; called once from {@link #start}, before the first session. */
    protected abstract void configure(PipelineConfig config);

    /**
     * One connection, start to end, on the reader thread: connect (resuming after {@link #resumePosition()}), read,
     * {@link #receive} every payload, and return how it ended. Must return promptly after {@link #abortSession()}.
     */
    protected abstract Ended session() throws InterruptedException;

    /** Makes a running {@link #session()} end now (watchdog thread, or {@link #stop}). */
    protected abstract void abortSession();

    /** On stop: ends the session politely if the protocol has a way (a close frame); by default aborts it. */
    protected void closeSession() {
        abortSession();
    }

    /** After {@link #stop} ended the session and the reader: frees the subclass's client (threads, sockets). */
    protected void released() {
    }

    /** Watchdog thread, every period while running: protocol chores such as pings. */
    protected void onTick() {
    }

    /** The decoder; push sources whose messages carry their own position override this. */
    protected PushRecordDecoder decoder(PipelineConfig config) {
        return new PushRecordDecoder(config.sourceRecordsPath(), config.recordKey(), null, config.sourceControlPath(),
                config.sourceControlValues());
    }

    // ---- SourceTask ----

    @Override
    public final void start(SourceContext context) {
        this.context = context;
        if (committed == null) {
            committed = context.resumeFrom().filter(p -> !p.value().isEmpty()).orElse(null); // the position store
        }
        lastReceived = committed;
        PipelineConfig config = context.config();
        this.config = config;
        safeUrl = Urls.withoutQuery(URI.create(config.sourceUrl()));
        credentials = ApiCredentials.from(config, SourceTls.httpClient(config).connectTimeout(config.sourceTimeout()).build());
        handoff = PushSupport.handoff(config);
        decoder = decoder(config);
        backoff = PushSupport.backoff(config, random);
        liveness = new StallWatch(ticker, config.sourceStallTimeout());
        Duration idle = config.sourceIdleTimeout();
        idleness = idle == null ? null : new StallWatch(ticker, idle);
        configure(config);
        String name = kind.toLowerCase(java.util.Locale.ROOT) + "-" + config.name();
        watchdog = PushSupport.scheduler("sluice-" + name + "-watchdog");
        Duration shortest = idle != null && idle.compareTo(config.sourceStallTimeout()) < 0 ? idle : config.sourceStallTimeout();
        long period = PushSupport.watchdogPeriod(shortest).toMillis();
        watchdog.scheduleWithFixedDelay(this::watch, period, period, TimeUnit.MILLISECONDS);
        reader = new Thread(this::readLoop, "sluice-" + name + "-reader");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public final List<SourceRecord> poll(Duration timeout) throws InterruptedException {
        List<SourceRecord> batch = handoff.drain(timeout);
        if (batch.isEmpty()) { // only once what came before the end is on its way to Kafka
            ConnectionRefusedException refused = refusal;
            if (refused != null) {
                throw refused;
            }
            if (fatal != null) {
                throw new SourceFailedException(fatal, null);
            }
        }
        return batch;
    }

    @Override
    public final void commit(SourcePosition position) {
        committed = position;
    }

    @Override
    public final void stop() {
        stopped.countDown();
        if (handoff == null) {
            return; // never started
        }
        handoff.close();
        watchdog.shutdownNow();
        closeSession();
        reader.interrupt(); // wakes a reader in a backoff wait or a blocking connect
        try {
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            released();
        }
    }

    // ---- what tests and metrics read ----

    /** The last position Kafka acknowledged everything up to: where a restarted source resumes after. */
    public final Optional<SourcePosition> committedPosition() {
        return Optional.ofNullable(committed).filter(p -> !p.value().isEmpty());
    }

    /** The last position handed over in this process: where a reconnect resumes after. */
    public final Optional<SourcePosition> resumePosition() {
        return Optional.ofNullable(lastReceived).filter(p -> !p.value().isEmpty());
    }

    /** Connection attempts so far, the first one included. */
    public final long connections() {
        return connections.get();
    }

    /** Reconnects so far by {@link Cause}, e.g. {@code {closed=2, idle=1}}. */
    public final Map<String, Long> reconnectsByCause() {
        return snapshot(reconnects);
    }

    /** Payloads ignored on purpose so far, by what they were ({@code control:heartbeat}, {@code event:ping}). */
    public final Map<String, Long> ignoredCounts() {
        return snapshot(ignored);
    }

    /** True once the server said the stream is over for good; the source does not reconnect. */
    public final boolean finished() {
        return finished;
    }

    // ---- for subclasses, on their reading threads ----

    /** Headers and credentials for every connect (see {@link ApiCredentials}); tests and metrics read its counts. */
    public final ApiCredentials credentials() {
        return credentials;
    }

    /**
     * The server answered {@code status} (401) to {@code used}: the first time, refresh the OAuth2 token and reconnect;
     * after a refresh, or with a credential no refresh can change, stop with the one sentence (exit code 4).
     */
    protected final Ended unauthorized(ApiCredentials.Authorization used, int status) {
        if (credentials.canRefresh() && !refreshedAfterUnauthorized) {
            refreshedAfterUnauthorized = true;
            credentials.rejected(used);
            return Ended.because(Cause.REFUSED, "answered HTTP " + status + "; reconnecting once with a fresh OAuth2 token");
        }
        refusal = credentials.refusedBy(safeUrl, status);
        return Ended.because(Cause.REFUSED, "answered HTTP " + status + ": " + refusal.getMessage());
    }

    /**
     * Connecting failed with {@code error}: a certificate Sluice does not trust, or a token endpoint that refused the
     * client, stops the source (exit code 5 or 4); anything else is an outage to reconnect after.
     */
    protected final Ended couldNotConnect(Throwable error) {
        Throwable cause = ApiCredentials.unwrap(error);
        ConnectionRefusedException refused = cause instanceof ConnectionRefusedException r ? r
                : ConnectionFailures.sourceCertificate(cause, config, safeUrl);
        if (refused != null) {
            refusal = refused;
            return Ended.because(Cause.REFUSED, refused.getMessage());
        }
        return Ended.because(Cause.ERROR, "could not connect: " + PushSupport.describe(error));
    }

    protected final boolean isStopped() {
        return stopped.getCount() == 0;
    }

    protected final String safeUrl() {
        return safeUrl;
    }

    /** The connection is up: the idle clock runs from now. */
    protected final void connectionOpened() {
        refreshedAfterUnauthorized = false; // the credentials worked: a later 401 earns a refresh again
        if (idleness != null) {
            idleness.expecting();
        }
    }

    /** The source waits for input now: the stall clock runs. */
    protected final void waitingForInput() {
        liveness.expecting();
    }

    /** The source is not reading (input is being handled, or the hand-off is full): no stall. */
    protected final void notWaiting() {
        liveness.paused();
    }

    /** The server asked for another reconnect delay (SSE {@code retry:}). */
    protected final synchronized void serverRetry(Duration base) {
        backoff.setBase(base);
    }

    /**
     * A whole payload arrived: decodes it and hands its items over, waiting while the hand-off is full. Returns false
     * once stopped.
     *
     * @param given the transport's position for it (SSE id, frame index), or null to read it from the payload
     */
    protected final boolean receive(byte[] payload, SourcePosition given) {
        PushRecordDecoder.Decoded decoded = decode(payload, given);
        if (decoded.items().isEmpty()) {
            return !isStopped();
        }
        boolean in = handoff.put(decoded.items());
        afterHandOver(decoded);
        return in;
    }

    /** As {@link #receive(byte[], SourcePosition)} without blocking: {@code next} runs once the items are in. */
    protected final void receive(byte[] payload, SourcePosition given, Runnable next) {
        PushRecordDecoder.Decoded decoded = decode(payload, given);
        handOverThen(decoded.items(), decoded.hasRecords(), next);
    }

    /**
     * Hands items over without blocking; {@code next} asks the server for more once they are in. While they wait for
     * room the client reads nothing, so the idle clock stops, whatever the payload was: a heartbeat parked behind a
     * full hand-off must not let the clock run out on a feed that we are holding back. It runs again from the moment
     * the items are in.
     */
    private void handOverThen(List<SourceRecord> items, boolean records, Runnable next) {
        AtomicBoolean heldBack = new AtomicBoolean();
        handoff.putThen(items, () -> {
            heldBack.set(true);
            if (idleness != null) {
                idleness.paused();
            }
        }, () -> {
            if (idleness != null && (records || heldBack.get())) {
                idleness.expecting();
            }
            next.run();
        });
    }

    /**
     * A payload that cannot even be decoded into something the decoder reads (a gRPC message that is not of the
     * method's type): handed over whole as a rejected item, at the previous position, in feed order.
     */
    protected final void reject(byte[] payload, String reason, String detail, Runnable next) {
        SourcePosition at = lastReceived == null ? PushRecordDecoder.NONE : lastReceived;
        firstPayload();
        handOverThen(List.of(SourceRecord.rejected(payload, at, reason, detail)), true, next);
    }

    /** A payload the source skips on purpose (an SSE event type that carries no records); counted, never warned. */
    protected final void ignore(String what, SourcePosition position) {
        ignored.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
        if (position != null && !position.value().isEmpty()) {
            lastReceived = position; // the feed stands after it: a reconnect need not see it again
        }
        firstPayload();
    }

    protected final void interruptReader() {
        reader.interrupt();
    }

    // ---- internals ----

    private PushRecordDecoder.Decoded decode(byte[] payload, SourcePosition given) {
        SourcePosition previous = lastReceived == null ? PushRecordDecoder.NONE : lastReceived;
        PushRecordDecoder.Decoded decoded = decoder.decode(payload, given, previous);
        if (decoded.isControl()) {
            ignored.computeIfAbsent("control:" + decoded.control(), k -> new AtomicLong()).incrementAndGet();
        }
        if (decoded.position() != null) {
            // Set at hand-over time: once in the hand-off (parked or not) the items are on their way to Kafka.
            lastReceived = decoded.position();
        }
        if (decoded.hasRecords() && idleness != null) {
            idleness.paused(); // until the records are in, waiting is Sluice's doing (backpressure), not the feed's
        }
        firstPayload();
        return decoded;
    }

    private void afterHandOver(PushRecordDecoder.Decoded decoded) {
        if (decoded.hasRecords() && idleness != null) {
            idleness.expecting();
        }
    }

    private void firstPayload() {
        if (!payloadOnThisConnection) {
            payloadOnThisConnection = true;
            synchronized (this) {
                backoff.reset(); // this connection works: the next outage starts from the short delay again
            }
        }
    }

    private void readLoop() {
        while (!isStopped()) {
            interruption = null;
            payloadOnThisConnection = false;
            connections.incrementAndGet();
            Ended end;
            try {
                end = session();
            } catch (InterruptedException e) {
                end = Ended.because(Cause.ERROR, "was interrupted");
            } catch (ConnectionRefusedException e) {
                refusal = e;
                end = Ended.because(Cause.REFUSED, e.getMessage());
            } catch (RuntimeException e) {
                end = Ended.because(Cause.ERROR, "failed: " + PushSupport.describe(e));
            }
            notWaiting();
            if (idleness != null) {
                idleness.paused();
            }
            if (isStopped()) {
                return;
            }
            if (refusal != null) {
                LOG.error("{} {}: {} Not reconnecting.", kind, safeUrl, refusal.getMessage());
                return;
            }
            if (end.finished() && Cause.FATAL.equals(end.cause())) {
                finished = true;
                fatal = kind + " " + safeUrl + ": " + end.detail();
                LOG.error("{}; not reconnecting", fatal);
                return;
            }
            if (end.finished()) {
                finished = true;
                LOG.info("{} {}: {}; not reconnecting", kind, safeUrl, end.detail());
                return;
            }
            Ended why = interruption != null ? interruption : end;
            reconnects.computeIfAbsent(why.cause(), k -> new AtomicLong()).incrementAndGet();
            context.reportReconnect(why.cause());
            context.reportPollError(kind + " " + safeUrl + " " + why.detail() + "; reconnecting");
            Thread.interrupted(); // an interrupt was for the session that just ended, not for the wait below
            waitBeforeReconnect(end.retryAfter());
        }
    }

    private void waitBeforeReconnect(Duration retryAfter) {
        Duration delay;
        synchronized (this) {
            delay = backoff.nextDelay();
        }
        if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
            delay = retryAfter;
        }
        LOG.debug("{} {}: reconnecting in {} ms after position '{}'", kind, safeUrl, delay.toMillis(),
                resumePosition().map(SourcePosition::value).orElse(""));
        try {
            stopped.await(delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            // stop() interrupts; the loop condition decides
        }
    }

    /** Watchdog thread: ends a dead or idle connection, else lets the subclass do its chores. */
    private void watch() {
        if (liveness.stalled()) {
            liveness.paused();
            interrupt(Ended.because(Cause.STALL, "sent nothing at all for "
                    + liveness.timeout().toMillis() + " ms (`source.stall_timeout`), not even a heartbeat or pong"));
            return;
        }
        if (idleness != null && idleness.stalled()) {
            idleness.paused();
            interrupt(Ended.because(Cause.IDLE, "sent no record for " + idleness.timeout().toMillis()
                    + " ms (`source.idle_timeout`) although the connection is alive"));
            return;
        }
        onTick();
    }

    private void interrupt(Ended why) {
        interruption = why;
        abortSession();
    }

    private static Map<String, Long> snapshot(Map<String, AtomicLong> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
