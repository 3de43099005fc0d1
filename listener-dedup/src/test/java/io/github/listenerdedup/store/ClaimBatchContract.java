package io.github.listenerdedup.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.ClaimRequest;
import io.github.listenerdedup.core.ClaimResult;
import io.github.listenerdedup.core.ClaimResult.Status;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.ClaimStore;
import io.github.listenerdedup.core.OwnerToken;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The part of {@link ClaimStoreContract} that covers {@link ClaimStore#claimAll}: a batch of claims answers as the
 * same claims made one after the other would. Extend {@link ClaimStoreContract}, not this class.
 */
public abstract class ClaimBatchContract extends ClaimTransitionsContract {

    @Test
    void shouldAnswerEachClaimOfBatchInOrderAsSingleClaimsWould() {
        ClaimKey fresh = key("E-fresh");
        ClaimKey completed = inState(ClaimState.COMPLETED, "E-completed");
        ClaimKey released = inState(ClaimState.RELEASED, "E-released");
        ClaimKey held = key("E-held");
        store().claim(held, first, null, LEASE);
        OwnerToken third = OwnerToken.random();

        List<ClaimResult> results = store().claimAll(List.of(new ClaimRequest(fresh, second, "fp"),
                new ClaimRequest(completed, second, null), new ClaimRequest(released, third, null),
                new ClaimRequest(held, second, null)), LEASE);

        assertThat(results).extracting(ClaimResult::status, ClaimResult::owner, ClaimResult::attempt).containsExactly(
                tuple(Status.ACQUIRED, second.value(), 1), tuple(Status.COMPLETED, first.value(), 0),
                tuple(Status.ACQUIRED, third.value(), 2), tuple(Status.IN_PROGRESS, first.value(), 0));
        assertThat(store().inspect(fresh).fingerprint()).isEqualTo("fp");
        assertExpiresWithin(fresh, LEASE);
        assertExpiresWithin(released, LEASE);
    }

    @Test
    void shouldFindFirstRequestsClaimWhenBatchHoldsOneKeyTwice() {
        ClaimKey key = key("E1");

        List<ClaimResult> results = store().claimAll(
                List.of(new ClaimRequest(key, first, null), new ClaimRequest(key, second, null)), LEASE);

        assertThat(results).extracting(ClaimResult::status, ClaimResult::owner)
                .containsExactly(tuple(Status.ACQUIRED, first.value()), tuple(Status.IN_PROGRESS, first.value()));
    }

    @Test
    void shouldAnswerAcquiredAgainWhenSameBatchIsClaimedAgainWithSameTokens() {
        List<ClaimRequest> requests = IntStream.range(0, 5)
                .mapToObj(i -> new ClaimRequest(key("E" + i), OwnerToken.random(), null))
                .toList();
        store().claimAll(requests, LEASE);

        List<ClaimResult> retried = store().claimAll(requests, LEASE);

        assertThat(retried).extracting(ClaimResult::status, ClaimResult::attempt)
                .containsOnly(tuple(Status.ACQUIRED, 1));
        assertThat(retried).extracting(ClaimResult::owner)
                .containsExactlyElementsOf(requests.stream().map(request -> request.token().value()).toList());
    }

    @Test
    void shouldAnswerNothingWhenBatchIsEmpty() {
        assertThat(store().claimAll(List.of(), LEASE)).isEmpty();
    }
}
