package io.github.listenerdedup.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store that is unreachable for a given number of calls of each kind, then passes calls to a real store.
 */
final class ScriptedFailureStore implements ClaimStore {

    private final ClaimStore delegate;
    final AtomicInteger failingClaims = new AtomicInteger();
    final AtomicInteger failingCompletes = new AtomicInteger();
    final AtomicInteger failingReleases = new AtomicInteger();

    ScriptedFailureStore(ClaimStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public ClaimResult claim(ClaimKey key, OwnerToken token, String fingerprint, Duration lease) {
        failIfScripted(failingClaims, "claim");
        return delegate.claim(key, token, fingerprint, lease);
    }

    @Override
    public boolean renew(ClaimKey key, OwnerToken token, Duration lease) {
        return delegate.renew(key, token, lease);
    }

    @Override
    public boolean complete(ClaimKey key, OwnerToken token, Duration retention) {
        failIfScripted(failingCompletes, "complete");
        return delegate.complete(key, token, retention);
    }

    @Override
    public boolean release(ClaimKey key, OwnerToken token, Duration retention) {
        failIfScripted(failingReleases, "release");
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

    private static void failIfScripted(AtomicInteger remaining, String operation) {
        if (remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new StoreUnavailableException(operation + " failed: connection refused",
                    new java.net.ConnectException("Connection refused"));
        }
    }
}
