package io.github.listenerdedup.demo;

import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.ClaimResult;
import io.github.listenerdedup.core.ClaimSnapshot;
import io.github.listenerdedup.core.ClaimStore;
import io.github.listenerdedup.core.OwnerToken;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ClaimStore} that passes every call on and counts the deliveries held back because another consumer
 * was still handling their event: each delivery has its own token, so the tokens that found the claim
 * {@code IN_PROGRESS} are those deliveries.
 */
public final class HeldDeliveryCounter implements ClaimStore {

    private final ClaimStore delegate;
    private final Set<String> heldTokens = ConcurrentHashMap.newKeySet();

    /**
     * Wraps a store.
     *
     * @param delegate the store that does the work
     */
    public HeldDeliveryCounter(ClaimStore delegate) {
        this.delegate = delegate;
    }

    /** @return how many deliveries found their event in progress at least once */
    public int heldDeliveries() {
        return heldTokens.size();
    }

    @Override
    public ClaimResult claim(ClaimKey key, OwnerToken token, String fingerprint, Duration lease) {
        ClaimResult result = delegate.claim(key, token, fingerprint, lease);
        if (result.status() == ClaimResult.Status.IN_PROGRESS) {
            heldTokens.add(token.value());
        }
        return result;
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
