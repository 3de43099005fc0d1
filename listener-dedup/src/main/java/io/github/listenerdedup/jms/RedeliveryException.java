package io.github.listenerdedup.jms;

import io.github.listenerdedup.core.DeliveryOutcome;

/**
 * Thrown by the JMS decorators so that the container rolls back or recovers a delivery and the broker redelivers
 * it by its redelivery policy: {@link DeliveryRequeuedException} when the listener did not run,
 * {@link DeliveryHandedBackException} when it ran and its attempt is undone. An {@code ErrorHandler} of the
 * container can tell these expected hand-backs from failures of the listener by this type.
 *
 * <p>It carries no stack trace: the message says all there is.
 */
public abstract class RedeliveryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient DeliveryOutcome outcome;

    /**
     * Creates the exception.
     *
     * @param message what is redelivered and why
     * @param outcome the outcome that hands the delivery back
     */
    protected RedeliveryException(String message, DeliveryOutcome outcome) {
        super(message, null, false, false);
        this.outcome = outcome;
    }

    /** @return the outcome that hands the delivery back */
    public DeliveryOutcome outcome() {
        return outcome;
    }
}
