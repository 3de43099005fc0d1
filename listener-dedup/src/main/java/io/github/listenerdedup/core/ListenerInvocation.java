package io.github.listenerdedup.core;

/**
 * The rest of the listener's work for one delivery: the advice chain and the handler, as the broker adapter sees
 * them.
 */
@FunctionalInterface
public interface ListenerInvocation {

    /**
     * Runs the handler.
     *
     * @throws Throwable whatever the handler throws, passed on to the container after the claim is released
     */
    void proceed() throws Throwable;
}
