package io.github.listenerdedup.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A store that is unreachable for a given number of calls of each kind, then passes calls to a real store. A claim
 * can be made to reach the store and lose its reply, and a call can be made to fail with an unexpected error; a
 * batch claim can be made to write all its claims and then fail as a script error would.
 */
final class ScriptedFailureStore extends ForwardingClaimStore {

    final AtomicInteger failingClaims = new AtomicInteger();
    final AtomicInteger failingCompletes = new AtomicInteger();
    final AtomicInteger failingReleases = new AtomicInteger();
    final AtomicInteger claimsLosingReply = new AtomicInteger();
    final AtomicInteger claimAllsFailingAfterWriting = new AtomicInteger();
    final AtomicReference<RuntimeException> completeError = new AtomicReference<>();
    final AtomicReference<RuntimeException> releaseError = new AtomicReference<>();

    ScriptedFailureStore(ClaimStore delegate) {
        super(delegate);
    }

    @Override
    public ClaimResult claim(ClaimKey key, OwnerToken token, String fingerprint, Duration lease) {
        failIfScripted(failingClaims, "claim");
        ClaimResult result = super.claim(key, token, fingerprint, lease);
        failIfScripted(claimsLosingReply, "claim reply");
        return result;
    }

    @Override
    public List<ClaimResult> claimAll(List<ClaimRequest> requests, Duration lease) {
        List<ClaimResult> results = super.claimAll(requests, lease);
        if (claimAllsFailingAfterWriting.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("ERR Error running script: wrong kind of value");
        }
        return results;
    }

    @Override
    public boolean complete(ClaimKey key, OwnerToken token, Duration retention) {
        failIfScripted(failingCompletes, "complete");
        throwIfSet(completeError);
        return super.complete(key, token, retention);
    }

    @Override
    public boolean release(ClaimKey key, OwnerToken token, Duration retention) {
        failIfScripted(failingReleases, "release");
        throwIfSet(releaseError);
        return super.release(key, token, retention);
    }

    private static void throwIfSet(AtomicReference<RuntimeException> error) {
        RuntimeException e = error.get();
        if (e != null) {
            throw e;
        }
    }

    private static void failIfScripted(AtomicInteger remaining, String operation) {
        if (remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new StoreUnavailableException(operation + " failed: connection refused",
                    new java.net.ConnectException("Connection refused"));
        }
    }
}
