package io.github.listenerdedup.core;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Retries the calls of another store that throw {@link StoreUnavailableException}, with resilience4j-retry and
 * exponential backoff. A retried call carries the same owner token as the first, so a call whose reply was lost
 * finds its own write and answers as if the first had succeeded: retries never invent a duplicate. Any other
 * exception is not retried.
 *
 * <pre>{@code
 * ClaimStore store = new RetryingClaimStore(redisStore, StoreRetrySettings.DEFAULTS);
 * }</pre>
 */
public final class RetryingClaimStore implements ClaimStore {

    private final ClaimStore delegate;
    private final Retry retry;

    /**
     * Wraps a store.
     *
     * @param delegate the store
     * @param settings how to retry
     */
    public RetryingClaimStore(ClaimStore delegate, StoreRetrySettings settings) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        Objects.requireNonNull(settings, "settings");
        RetryConfig config = RetryConfig.custom()
                .maxAttempts(settings.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialBackoff(
                        settings.initialBackoff(), settings.multiplier()))
                .retryExceptions(StoreUnavailableException.class)
                .failAfterMaxAttempts(false)
                .build();
        this.retry = Retry.of("listener-dedup-store", config);
    }

    /** @return the wrapped store */
    public ClaimStore delegate() {
        return delegate;
    }

    @Override
    public ClaimResult claim(ClaimKey key, OwnerToken token, String fingerprint, Duration lease) {
        return retried(() -> delegate.claim(key, token, fingerprint, lease));
    }

    /**
     * Claims the batch, retrying the whole batch with the same tokens when a claim cannot be answered: claims
     * written by an earlier try find their own token and answer {@code ACQUIRED}.
     */
    @Override
    public List<ClaimResult> claimAll(List<ClaimRequest> requests, Duration lease) {
        return retried(() -> delegate.claimAll(requests, lease));
    }

    @Override
    public boolean renew(ClaimKey key, OwnerToken token, Duration lease) {
        return retried(() -> delegate.renew(key, token, lease));
    }

    @Override
    public boolean complete(ClaimKey key, OwnerToken token, Duration retention) {
        return retried(() -> delegate.complete(key, token, retention));
    }

    @Override
    public boolean release(ClaimKey key, OwnerToken token, Duration retention) {
        return retried(() -> delegate.release(key, token, retention));
    }

    @Override
    public boolean discard(ClaimKey key, OwnerToken token) {
        return retried(() -> delegate.discard(key, token));
    }

    @Override
    public ClaimSnapshot inspect(ClaimKey key) {
        return retried(() -> delegate.inspect(key));
    }

    @Override
    public boolean forget(ClaimKey key) {
        return retried(() -> delegate.forget(key));
    }

    private <T> T retried(Supplier<T> call) {
        return Retry.decorateSupplier(retry, call).get();
    }
}
