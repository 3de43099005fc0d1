package io.github.listenerdedup.core;

import java.time.Duration;
import java.util.Objects;

/**
 * A {@link ClaimStore} that passes every call to another store: extend it and override the calls to observe or
 * change, for metrics, tracing or tests.
 *
 * <pre>{@code
 * class CountingStore extends ForwardingClaimStore {
 *     final LongAdder claims = new LongAdder();
 *     CountingStore(ClaimStore delegate) { super(delegate); }
 *     public ClaimResult claim(ClaimKey key, OwnerToken token, String fingerprint, Duration lease) {
 *         claims.increment();
 *         return super.claim(key, token, fingerprint, lease);
 *     }
 * }
 * }</pre>
 */
public abstract class ForwardingClaimStore implements ClaimStore {

    private final ClaimStore delegate;

    /**
     * Wraps a store.
     *
     * @param delegate the store every call goes to
     */
    protected ForwardingClaimStore(ClaimStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** @return the store every call goes to */
    protected ClaimStore delegate() {
        return delegate;
    }

    @Override
    public ClaimResult claim(ClaimKey key, OwnerToken token, String fingerprint, Duration lease) {
        return delegate.claim(key, token, fingerprint, lease);
    }

    @Override
    public boolean renew(ClaimKey key, OwnerToken token, Duration lease) {
        return delegate.renew(key, token, lease);
    }

    @Override
    public boolean complete(ClaimKey key, OwnerToken token, Duration retention) {
        return delegate.complete(key, token, retention);
    }

    @Override
    public boolean release(ClaimKey key, OwnerToken token, Duration retention) {
        return delegate.release(key, token, retention);
    }

    @Override
    public boolean discard(ClaimKey key, OwnerToken token) {
        return delegate.discard(key, token);
    }

    @Override
    public ClaimSnapshot inspect(ClaimKey key) {
        return delegate.inspect(key);
    }

    @Override
    public boolean forget(ClaimKey key) {
        return delegate.forget(key);
    }
}
