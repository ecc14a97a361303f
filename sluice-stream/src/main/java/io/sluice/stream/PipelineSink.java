package io.sluice.stream;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.execution.streaming.Sink;
import org.apache.spark.sql.sources.StreamSinkProvider;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.OutputMode;
import scala.Option;
import scala.collection.immutable.Seq;

/**
 * The streaming query's sink: Spark hands each micro-batch to the pipeline's {@link Handler} as a {@link MicroBatch},
 * on the thread that runs the query, once per batch id (again after a restart for a batch that did not commit).
 *
 * <p>What foreachBatch does, minus the work it does for every batch before the handler runs: it runs the batch plan's
 * code generation and builds and analyses a second Dataset over the result, which the driver writer never reads.
 *
 * <p>Spark makes a sink from its class name and string options, so the handler of a query is passed by a key of
 * {@link #attach}, taken out of {@link #HANDLERS} when Spark makes the sink at the query's start.
 */
public final class PipelineSink implements StreamSinkProvider {
    /** The option that names the handler of a query. */
    static final String HANDLER_OPTION = "sluice.handler";
    private static final Map<String, Handler> HANDLERS = new ConcurrentHashMap<>();

    /** What the pipeline does with one micro-batch; it runs on the driver only. */
    @FunctionalInterface
    public interface Handler {
        void handle(MicroBatch batch, long batchId) throws Exception;
    }

    /** {@code writer}, set to hand each micro-batch to {@code handler}. */
    public static DataStreamWriter<Row> attach(DataStreamWriter<Row> writer, Handler handler) {
        String key = UUID.randomUUID().toString();
        HANDLERS.put(key, handler);
        return writer.format(PipelineSink.class.getName()).option(HANDLER_OPTION, key);
    }

    @Override
    public Sink createSink(SQLContext sqlContext, scala.collection.immutable.Map<String, String> parameters,
                           Seq<String> partitionColumns, OutputMode outputMode) {
        Option<String> key = parameters.get(HANDLER_OPTION);
        Handler handler = key.isDefined() ? HANDLERS.remove(key.get()) : null;
        if (handler == null) {
            throw new IllegalStateException("a " + PipelineSink.class.getSimpleName()
                    + " is made only by PipelineSink.attach, once per query start");
        }
        return new BatchSink(handler);
    }

    private record BatchSink(Handler handler) implements Sink {
        @Override
        public void addBatch(long batchId, Dataset<Row> data) {
            try {
                handler.handle(new MicroBatch(data), batchId);
            } catch (Exception e) {
                throw rethrown(e);
            }
        }

        @Override
        public String toString() {
            return "Sluice pipeline sink";
        }
    }

    /**
     * Throws {@code error} as it is, checked or not. Spark tells a stop from a failure by the exception's own type: a
     * handler interrupted by {@code query.stop()} must reach it as the {@link InterruptedException} it is, not wrapped.
     */
    @SuppressWarnings("unchecked")
    private static <E extends Exception> RuntimeException rethrown(Exception error) throws E {
        throw (E) error;
    }
}
