package io.github.listenerdedup.it;

import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.ClaimRequest;
import io.github.listenerdedup.core.ClaimResult;
import io.github.listenerdedup.core.ClaimStore;
import io.github.listenerdedup.core.ForwardingClaimStore;
import io.github.listenerdedup.core.OwnerToken;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Passes every call to a real store and counts the answers, so a test can wait for "a second copy found the claim
 * in progress" without sleeping.
 */
public final class RecordingClaimStore extends ForwardingClaimStore {

    private final Map<ClaimResult.Status, AtomicInteger> claimAnswers = new ConcurrentHashMap<>();
    private final AtomicInteger claimCalls = new AtomicInteger();
    private final AtomicInteger batchClaimCalls = new AtomicInteger();
    private final AtomicInteger releases = new AtomicInteger();
    private final Set<ClaimKey> keysClaimed = ConcurrentHashMap.newKeySet();

    /**
     * Wraps a store.
     *
     * @param delegate the real store
     */
    public RecordingClaimStore(ClaimStore delegate) {
        super(delegate);
    }

    @Override
    public ClaimResult claim(ClaimKey key, OwnerToken token, String fingerprint, Duration lease) {
        claimCalls.incrementAndGet();
        keysClaimed.add(key);
        ClaimResult result = super.claim(key, token, fingerprint, lease);
        claimAnswers.computeIfAbsent(result.status(), status -> new AtomicInteger()).incrementAndGet();
        return result;
    }

    /** Passes the batch on whole, so a store that sends it in one round trip still does, and counts each claim. */
    @Override
    public List<ClaimResult> claimAll(List<ClaimRequest> requests, Duration lease) {
        batchClaimCalls.incrementAndGet();
        claimCalls.addAndGet(requests.size());
        requests.forEach(request -> keysClaimed.add(request.key()));
        List<ClaimResult> results = delegate().claimAll(requests, lease);
        results.forEach(result ->
                claimAnswers.computeIfAbsent(result.status(), status -> new AtomicInteger()).incrementAndGet());
        return results;
    }

    @Override
    public boolean release(ClaimKey key, OwnerToken token, Duration retention) {
        releases.incrementAndGet();
        return super.release(key, token, retention);
    }

    /** @return how many claims answered with the status */
    public int claimsAnswered(ClaimResult.Status status) {
        AtomicInteger count = claimAnswers.get(status);
        return count == null ? 0 : count.get();
    }

    /** @return how many ids were claimed, one by one or in batches */
    public int claimCalls() {
        return claimCalls.get();
    }

    /** @return how many batch claims were made ({@link #claimAll}), each counted once */
    public int batchClaimCalls() {
        return batchClaimCalls.get();
    }

    /** @return how many release calls were made */
    public int releases() {
        return releases.get();
    }

    /** @return every key a claim was made for */
    public Set<ClaimKey> keysClaimed() {
        return Set.copyOf(keysClaimed);
    }
}
