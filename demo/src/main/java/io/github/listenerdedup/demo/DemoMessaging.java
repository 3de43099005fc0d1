package io.github.listenerdedup.demo;

import io.github.listenerdedup.core.Deduplicator;
import java.util.List;

/**
 * One broker as the demo uses it: a queue of its own, consumers that run the handler through the library, a
 * publisher, and a look at what is left at the end. Closing it stops the consumers, removes what the demo created
 * on the broker and closes every connection.
 */
public interface DemoMessaging extends AutoCloseable {

    /** The header or property that carries the event id, the library's default. */
    String EVENT_ID_HEADER = "eventId";

    /** @return one line that says which broker and queue are used */
    String describe();

    /**
     * Starts the consumers, with deduplication installed the way users install it.
     *
     * @param consumers    how many concurrent consumers
     * @param deduplicator the deduplicator
     * @param handler      the business handler
     * @throws Exception when the consumers cannot start
     */
    void startConsumers(int consumers, Deduplicator deduplicator, DemoHandler handler) throws Exception;

    /**
     * Publishes deliveries in order, each with its event id in {@link #EVENT_ID_HEADER}.
     *
     * @param deliveries the deliveries
     * @throws Exception when the broker does not accept them
     */
    void publish(List<PlannedDelivery> deliveries) throws Exception;

    /** Stops the consumers, letting handlers that are running finish and settle their delivery. */
    void stopConsumers();

    /**
     * Counts what is left once the consumers stopped.
     *
     * @return the counts
     * @throws Exception when the broker cannot be asked
     */
    QueueCounts queueCounts() throws Exception;

    @Override
    void close();

    /**
     * What is left on the broker once the consumers stopped.
     *
     * @param remaining    deliveries still on the demo's queue
     * @param deadLettered deliveries of this run in the dead-letter queue
     */
    record QueueCounts(int remaining, int deadLettered) {
    }
}
