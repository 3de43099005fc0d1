package io.github.listenerdedup.jms;

import io.github.listenerdedup.core.DeliveryOutcome;
import jakarta.jms.Message;

/**
 * Thrown by the JMS decorators so that the delivery is rolled back or recovered and the broker redelivers it
 * later: another delivery of the same event id still held its claim after the in-flight wait, or the claim store
 * could not be reached. The handler did not run.
 *
 * <p>Each redelivery spends one of ActiveMQ's {@code maximumRedeliveries}; size them against the in-flight wait and
 * the lease.
 */
public class DeliveryRequeuedException extends RedeliveryException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was requeued and why
     * @param outcome the outcome that requeued it
     */
    public DeliveryRequeuedException(String message, DeliveryOutcome outcome) {
        super(message, outcome);
    }

    /**
     * The exception for a delivery to be redelivered; the deduplicator has logged why.
     *
     * @param delivery the delivery
     * @param outcome  the outcome that requeues it
     * @return the exception
     */
    static DeliveryRequeuedException of(Message delivery, DeliveryOutcome outcome) {
        return new DeliveryRequeuedException("Requeued " + JmsText.describe(delivery)
                + " so that the broker redelivers it (" + outcome.tag() + ")", outcome);
    }
}
