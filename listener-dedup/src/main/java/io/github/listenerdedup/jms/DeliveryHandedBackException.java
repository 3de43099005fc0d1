package io.github.listenerdedup.jms;

import io.github.listenerdedup.core.DeliveryOutcome;
import jakarta.jms.Message;

/**
 * Thrown by the JMS decorators so that the delivery is rolled back or recovered, and the broker redelivers it, after
 * the listener ran: either the listener called {@code rollback()} or {@code recover()} on its session itself, and
 * the claim was released rather than completed; or the listener failed the last of {@code maxAttempts}, and its
 * work is rolled back so that the redelivery can be copied to the dead-letter queue in a transaction of its own.
 */
public class DeliveryHandedBackException extends RedeliveryException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was handed back and why
     * @param outcome the outcome of the attempt: {@code RELEASED}, or {@code MAX_ATTEMPTS} for a last attempt
     */
    public DeliveryHandedBackException(String message, DeliveryOutcome outcome) {
        super(message, outcome);
    }

    /**
     * The exception for a listener that handed its delivery back through its session.
     *
     * @param delivery the delivery
     * @param call     {@code rollback()} or {@code recover()}
     * @return the exception
     */
    static DeliveryHandedBackException byListener(Message delivery, String call) {
        return new DeliveryHandedBackException("The listener called " + call + " on its session for "
                + JmsText.describe(delivery) + ", so its claim is released and the broker redelivers it",
                DeliveryOutcome.RELEASED);
    }

    /**
     * The exception for a last attempt whose work is rolled back before its redelivery is dead-lettered.
     *
     * @param delivery the delivery
     * @return the exception
     */
    static DeliveryHandedBackException forDeadLetter(Message delivery) {
        return new DeliveryHandedBackException("Handed back the last attempt at " + JmsText.describe(delivery)
                + " so that its work is rolled back; its redelivery goes to the dead-letter queue",
                DeliveryOutcome.MAX_ATTEMPTS);
    }
}
