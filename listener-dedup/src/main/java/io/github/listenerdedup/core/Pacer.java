package io.github.listenerdedup.core;

import java.util.concurrent.TimeUnit;

/**
 * Waits between polls of a held delivery. Tests replace it to drive time by hand.
 */
@FunctionalInterface
interface Pacer {

    /** Sleeps on the current thread. */
    Pacer SLEEP = TimeUnit.NANOSECONDS::sleep;

    /**
     * Waits.
     *
     * @param nanos how long
     * @throws InterruptedException when the thread is interrupted
     */
    void pause(long nanos) throws InterruptedException;
}
