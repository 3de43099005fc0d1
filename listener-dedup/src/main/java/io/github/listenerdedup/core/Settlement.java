package io.github.listenerdedup.core;

/**
 * What a broker adapter does with a delivery once the {@link Deduplicator} has decided.
 */
public enum Settlement {

    /** Acknowledge: the event was handled, now or before. */
    ACK,

    /** Put the delivery back on the queue at once, without counting it as a failure of the handler. */
    REQUEUE,

    /** Reject without requeue, to the dead-letter path: it can never succeed as it is. */
    REJECT,

    /** The handler failed: let its exception reach the container, which nacks or rolls back. */
    FAIL
}
