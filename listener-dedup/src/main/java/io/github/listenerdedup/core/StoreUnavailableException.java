package io.github.listenerdedup.core;

/**
 * The claim store could not answer: unreachable, timed out, read-only or refusing the connection. It never means
 * that an id is a duplicate.
 */
public class StoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed
     * @param cause   the store client's exception
     */
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
