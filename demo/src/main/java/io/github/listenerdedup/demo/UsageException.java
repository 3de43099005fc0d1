package io.github.listenerdedup.demo;

/**
 * A bad command-line option or a bad line of the input file: the demo prints the message and exits with code 2
 * before it starts anything.
 */
public final class UsageException extends Exception {

    /**
     * Creates the exception.
     *
     * @param message what was wrong, naming the option or the line
     */
    public UsageException(String message) {
        super(message);
    }
}
