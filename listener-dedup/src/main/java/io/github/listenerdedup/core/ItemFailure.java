package io.github.listenerdedup.core;

import java.util.Objects;

/**
 * A failure a batch listener reported for one delivery of its batch, while the others succeeded.
 *
 * @param cause      why the delivery failed
 * @param deadLetter {@code true} to reject it to the dead-letter path, since it can never succeed as it is;
 *                   {@code false} to let the broker redeliver it
 */
public record ItemFailure(Throwable cause, boolean deadLetter) {

    /**
     * Checks the cause.
     *
     * @throws NullPointerException when the cause is null
     */
    public ItemFailure {
        Objects.requireNonNull(cause, "cause");
    }
}
