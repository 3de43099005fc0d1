package io.github.listenerdedup.jms;

import io.github.listenerdedup.core.DeliveryOutcome;

/**
 * Thrown by {@link DeduplicatingMessageListener} so that the container rolls the session back and the broker
 * redelivers the message later: another delivery of the same event id still held its claim after the in-flight
 * wait, or the claim store could not be reached. The handler did not run.
 *
 * <p>Each rollback spends one of ActiveMQ's {@code maximumRedeliveries}; size them against the in-flight wait and
 * the lease. It carries no stack trace: the message says all there is.
 */
public class DeliveryRequeuedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient DeliveryOutcome outcome;

    /**
     * Creates the exception.
     *
     * @param message what was requeued and why
     * @param outcome the outcome that requeued it
     */
    public DeliveryRequeuedException(String message, DeliveryOutcome outcome) {
        super(message, null, false, false);
        this.outcome = outcome;
    }

    /** @return the outcome that requeued the delivery */
    public DeliveryOutcome outcome() {
        return outcome;
    }
}
