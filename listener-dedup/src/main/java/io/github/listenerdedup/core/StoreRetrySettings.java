package io.github.listenerdedup.core;

import java.time.Duration;

/**
 * How a store call that could not reach the store is retried, with exponential backoff, before the delivery is
 * held or requeued. Retries are safe because every call of one delivery carries the same owner token.
 *
 * @param maxAttempts    calls in all, the first included; 1 turns retries off
 * @param initialBackoff the wait before the second call
 * @param multiplier     how much each further wait grows
 */
public record StoreRetrySettings(int maxAttempts, Duration initialBackoff, double multiplier) {

    /** Default number of calls in all. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** Default wait before the second call. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(50);
    /** Default growth of each further wait. */
    public static final double DEFAULT_MULTIPLIER = 2.0;
    /** Three calls in all, 50 ms and then 100 ms apart. */
    public static final StoreRetrySettings DEFAULTS =
            new StoreRetrySettings(DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_BACKOFF, DEFAULT_MULTIPLIER);
    /** One call, no retry. */
    public static final StoreRetrySettings NONE = new StoreRetrySettings(1, DEFAULT_INITIAL_BACKOFF, 1.0);

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the field, the rule and the value
     */
    public StoreRetrySettings {
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException(
                    "storeRetry.maxAttempts must be between 1 and 100, but was " + maxAttempts);
        }
        if (initialBackoff == null || initialBackoff.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "storeRetry.initialBackoff must be at least PT0.001S, but was " + initialBackoff);
        }
        if (!(multiplier >= 1.0 && multiplier <= 10.0)) {
            throw new IllegalArgumentException(
                    "storeRetry.multiplier must be between 1.0 and 10.0, but was " + multiplier);
        }
    }
}
