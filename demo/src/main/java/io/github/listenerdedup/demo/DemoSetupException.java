package io.github.listenerdedup.demo;

/**
 * A service the demo needs cannot be used: the demo prints the message, which says how to start the service, and
 * exits with code 1.
 */
public final class DemoSetupException extends Exception {

    /**
     * Creates the exception.
     *
     * @param message what cannot be used, and how to make it available
     */
    public DemoSetupException(String message) {
        super(message);
    }
}
