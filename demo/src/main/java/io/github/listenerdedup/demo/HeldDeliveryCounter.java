package io.github.listenerdedup.demo;

import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.ClaimResult;
import io.github.listenerdedup.core.ClaimStore;
import io.github.listenerdedup.core.ForwardingClaimStore;
import io.github.listenerdedup.core.OwnerToken;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ClaimStore} that passes every call on and counts the deliveries held back because another consumer
 * was still handling their event: each delivery has its own token, so the tokens that found the claim
 * {@code IN_PROGRESS} are those deliveries.
 */
public final class HeldDeliveryCounter extends ForwardingClaimStore {

    private final Set<String> heldTokens = ConcurrentHashMap.newKeySet();

    /**
     * Wraps a store.
     *
     * @param delegate the store that does the work
     */
    public HeldDeliveryCounter(ClaimStore delegate) {
        super(delegate);
    }

    /** @return how many deliveries found their event in progress at least once */
    public int heldDeliveries() {
        return heldTokens.size();
    }

    @Override
    public ClaimResult claim(ClaimKey key, OwnerToken token, String fingerprint, Duration lease) {
        ClaimResult result = super.claim(key, token, fingerprint, lease);
        if (result.status() == ClaimResult.Status.IN_PROGRESS) {
            heldTokens.add(token.value());
        }
        return result;
    }
}
