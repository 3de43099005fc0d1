package io.github.listenerdedup.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store that is unreachable for a given number of calls of each kind, then passes calls to a real store.
 */
final class ScriptedFailureStore extends ForwardingClaimStore {

    final AtomicInteger failingClaims = new AtomicInteger();
    final AtomicInteger failingCompletes = new AtomicInteger();
    final AtomicInteger failingReleases = new AtomicInteger();

    ScriptedFailureStore(ClaimStore delegate) {
        super(delegate);
    }

    @Override
    public ClaimResult claim(ClaimKey key, OwnerToken token, String fingerprint, Duration lease) {
        failIfScripted(failingClaims, "claim");
        return super.claim(key, token, fingerprint, lease);
    }

    @Override
    public boolean complete(ClaimKey key, OwnerToken token, Duration retention) {
        failIfScripted(failingCompletes, "complete");
        return super.complete(key, token, retention);
    }

    @Override
    public boolean release(ClaimKey key, OwnerToken token, Duration retention) {
        failIfScripted(failingReleases, "release");
        return super.release(key, token, retention);
    }

    private static void failIfScripted(AtomicInteger remaining, String operation) {
        if (remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new StoreUnavailableException(operation + " failed: connection refused",
                    new java.net.ConnectException("Connection refused"));
        }
    }
}
