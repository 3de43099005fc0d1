package io.github.listenerdedup.core;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Holds one delivery in the consumer for at most the in-flight wait, polling with exponential backoff, so that a
 * requeue (which spends a delivery attempt on quorum queues and ActiveMQ) is the last resort.
 */
final class Hold {

    static final Duration FIRST_PAUSE = Duration.ofMillis(20);
    static final Duration LONGEST_PAUSE = Duration.ofMillis(500);

    private final Pacer pacer;
    private final LongSupplier nanoTime;
    private long deadline;
    private long nextPause = FIRST_PAUSE.toNanos();

    Hold(Duration wait, Pacer pacer, LongSupplier nanoTime) {
        this.pacer = pacer;
        this.nanoTime = nanoTime;
        this.deadline = nanoTime.getAsLong() + wait.toNanos();
    }

    /**
     * Ends the hold no later than the given time from now; a hold that ends sooner already is left as it is.
     *
     * @param wait the longest the hold may still last
     */
    void endWithin(Duration wait) {
        deadline = Math.min(deadline, nanoTime.getAsLong() + wait.toNanos());
    }

    /**
     * Waits before the next poll.
     *
     * @param hint how long the blocking state is known to last at most (a lease left), or {@code null}
     * @return {@code false} when the wait is used up or the thread was interrupted: stop holding
     */
    boolean pauseBeforeNextPoll(Duration hint) {
        long left = deadline - nanoTime.getAsLong();
        if (left <= 0) {
            return false;
        }
        long pause = Math.min(nextPause, left);
        if (hint != null && !hint.isZero() && !hint.isNegative()) {
            pause = Math.min(pause, hint.toNanos() + FIRST_PAUSE.toNanos());
        }
        nextPause = Math.min(nextPause * 2, LONGEST_PAUSE.toNanos());
        try {
            pacer.pause(pause);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
