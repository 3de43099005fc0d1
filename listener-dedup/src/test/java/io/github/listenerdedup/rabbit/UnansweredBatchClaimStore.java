package io.github.listenerdedup.rabbit;

import io.github.listenerdedup.core.ClaimRequest;
import io.github.listenerdedup.core.ClaimResult;
import io.github.listenerdedup.core.ClaimStore;
import io.github.listenerdedup.core.ForwardingClaimStore;
import java.time.Duration;
import java.util.List;

/**
 * A store with a broken batch claim: it writes every claim and answers none of them, so that deduplication cannot
 * decide the batch and throws.
 */
final class UnansweredBatchClaimStore extends ForwardingClaimStore {

    private final ClaimStore delegate;

    UnansweredBatchClaimStore(ClaimStore delegate) {
        super(delegate);
        this.delegate = delegate;
    }

    @Override
    public List<ClaimResult> claimAll(List<ClaimRequest> requests, Duration lease) {
        delegate.claimAll(requests, lease);
        return List.of();
    }
}
