package io.github.listenerdedup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.github.listenerdedup.store.memory.InMemoryClaimStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BatchDeduplicationTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final FakeTime time = new FakeTime();
    private final InMemoryClaimStore memory = new InMemoryClaimStore(time, Clock.systemUTC());
    private final ScriptedFailureStore store = new ScriptedFailureStore(memory);
    private final AtomicInteger claimAllCalls = new AtomicInteger();
    private final List<List<Integer>> runs = new ArrayList<>();
    private DedupSettings.Builder settings;

    @BeforeEach
    void setUp() {
        settings = DedupSettings.builder()
                .group("billing")
                .inFlightWait(WAIT)
                .storeRetry(StoreRetrySettings.NONE)
                .leaseRenewal(false);
    }

    @Test
    void shouldClaimAllIdsInOneCallAndCompleteEachWhenListenerSucceeds() {
        BatchOutcome outcome = process(BatchSettlement.WHOLE_BATCH, succeeding(), "E1", "E2", "E3");

        assertThat(runs).containsExactly(List.of(0, 1, 2));
        assertThat(claimAllCalls).hasValue(1);
        assertThat(outcomesOf(outcome)).containsOnly(DeliveryOutcome.PROCESSED);
        assertThat(outcome.settlement()).isEqualTo(Settlement.ACK);
        assertThat(List.of("E1", "E2", "E3")).allSatisfy(id -> assertThat(stateOf(id)).isEqualTo(ClaimState.COMPLETED));
    }

    @Test
    void shouldTakeCompletedIdsAndCopiesWithinBatchOutBeforeListenerRuns() {
        complete("E1");

        BatchOutcome outcome = process(BatchSettlement.WHOLE_BATCH, succeeding(), "E1", "E2", "E2", "E3");

        assertThat(runs).containsExactly(List.of(1, 3));
        assertThat(outcomesOf(outcome)).containsExactly(DeliveryOutcome.DUPLICATE, DeliveryOutcome.PROCESSED,
                DeliveryOutcome.DUPLICATE, DeliveryOutcome.PROCESSED);
        assertThat(outcome.items()).extracting(ItemOutcome::eventId).containsExactly("E1", "E2", "E2", "E3");
        assertThat(outcome.settlement()).isEqualTo(Settlement.ACK);
    }

    @Test
    void shouldReleaseEveryClaimAndFailWholeBatchWhenListenerThrows() {
        IllegalStateException failure = new IllegalStateException("listener failed");
        complete("E3");

        BatchOutcome outcome = process(BatchSettlement.WHOLE_BATCH, positions -> {
            throw failure;
        }, "E1", "E2", "E3", "E1");

        assertThat(outcome.failure()).isSameAs(failure);
        assertThat(outcome.settlement()).isEqualTo(Settlement.FAIL);
        assertThat(outcomesOf(outcome)).containsExactly(DeliveryOutcome.RELEASED, DeliveryOutcome.RELEASED,
                DeliveryOutcome.DUPLICATE, DeliveryOutcome.IN_FLIGHT_REQUEUED);
        assertThat(outcome.items()).extracting(ItemOutcome::settlement).containsOnly(Settlement.FAIL);
        assertThat(stateOf("E1")).isEqualTo(ClaimState.RELEASED);
        assertThat(stateOf("E2")).isEqualTo(ClaimState.RELEASED);
    }

    @Test
    void shouldRequeueWholeBatchAndGiveBackItsClaimsWhenAnotherDeliveryHoldsOneIdPastTheWait() {
        claimElsewhere("E2");

        BatchOutcome outcome = process(BatchSettlement.WHOLE_BATCH, succeeding(), "E1", "E2");

        assertThat(runs).isEmpty();
        assertThat(time.pauses()).isPositive();
        assertThat(outcomesOf(outcome)).containsOnly(DeliveryOutcome.IN_FLIGHT_REQUEUED);
        assertThat(outcome.settlement()).isEqualTo(Settlement.REQUEUE);
        assertThat(stateOf("E1")).isEqualTo(ClaimState.ABSENT);
        assertThat(stateOf("E2")).isEqualTo(ClaimState.IN_PROGRESS);
    }

    @Test
    void shouldRunWithoutTheHeldIdOnceItsHolderCompletesDuringTheWait() {
        OwnerToken holder = claimElsewhere("E2");
        time.onPause(() -> memory.complete(key("E2"), holder, Duration.ofHours(1)));

        BatchOutcome outcome = process(BatchSettlement.WHOLE_BATCH, succeeding(), "E1", "E2");

        assertThat(runs).containsExactly(List.of(0));
        assertThat(outcomesOf(outcome)).containsExactly(DeliveryOutcome.PROCESSED, DeliveryOutcome.DUPLICATE);
        assertThat(claimAllCalls).hasValue(2);
    }

    @Test
    void shouldRejectWholeBatchWithoutClaimingWhenOneIdIsMissing() {
        BatchOutcome outcome = process(BatchSettlement.WHOLE_BATCH, succeeding(), "E1", null, "E3");

        assertThat(runs).isEmpty();
        assertThat(claimAllCalls).hasValue(0);
        assertThat(memory.size()).isZero();
        assertThat(outcome.settlement()).isEqualTo(Settlement.REJECT);
        assertThat(outcomesOf(outcome)).containsOnly(DeliveryOutcome.REJECTED_ID);
    }

    @Test
    void shouldRejectOnlyTheDeliveryWithoutIdWhenEachDeliveryIsSettledOnItsOwn() {
        BatchOutcome outcome = process(BatchSettlement.PER_DELIVERY, succeeding(), "E1", null, "E3");

        assertThat(runs).containsExactly(List.of(0, 2));
        assertThat(outcome.items()).extracting(ItemOutcome::outcome, ItemOutcome::settlement).containsExactly(
                tuple(DeliveryOutcome.PROCESSED, Settlement.ACK), tuple(DeliveryOutcome.REJECTED_ID, Settlement.REJECT),
                tuple(DeliveryOutcome.PROCESSED, Settlement.ACK));
        assertThat(outcome.settlement()).isEqualTo(Settlement.REJECT);
    }

    @Test
    void shouldReleaseAndDeadLetterOnlyTheDeliveryTheListenerReportedWhenSettledOnItsOwn() {
        BatchOutcome outcome = process(BatchSettlement.PER_DELIVERY, positions -> {
            runs.add(positions);
            return Map.of(1, new ItemFailure(new IllegalArgumentException("empty body"), true),
                    2, new ItemFailure(new IllegalStateException("try again"), false));
        }, "E17a", "E17b", "E17c", "E17d");

        assertThat(outcome.items()).extracting(ItemOutcome::outcome, ItemOutcome::settlement).containsExactly(
                tuple(DeliveryOutcome.PROCESSED, Settlement.ACK), tuple(DeliveryOutcome.RELEASED, Settlement.REJECT),
                tuple(DeliveryOutcome.RELEASED, Settlement.FAIL), tuple(DeliveryOutcome.PROCESSED, Settlement.ACK));
        assertThat(stateOf("E17b")).isEqualTo(ClaimState.RELEASED);
        assertThat(stateOf("E17c")).isEqualTo(ClaimState.RELEASED);
        assertThat(stateOf("E17a")).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldReleaseDeliveryListenerSettledApartAndAckTheRestWhenBatchIsSettledAsWhole() {
        BatchOutcome outcome = process(BatchSettlement.WHOLE_BATCH,
                positions -> Map.of(0, new ItemFailure(new IllegalStateException("cannot convert"), true)),
                "E1", "E2");

        assertThat(outcome.items()).extracting(ItemOutcome::outcome, ItemOutcome::settlement).containsExactly(
                tuple(DeliveryOutcome.RELEASED, Settlement.REJECT), tuple(DeliveryOutcome.PROCESSED, Settlement.ACK));
        assertThat(outcome.settlement()).isEqualTo(Settlement.ACK);
        assertThat(stateOf("E1")).isEqualTo(ClaimState.RELEASED);
    }

    @Test
    void shouldRequeueOnlyTheHeldIdAndRunTheOthersWhenSettledOnItsOwn() {
        claimElsewhere("E2");

        BatchOutcome outcome = process(BatchSettlement.PER_DELIVERY, succeeding(), "E1", "E2", "E2");

        assertThat(runs).containsExactly(List.of(0));
        assertThat(outcome.items()).extracting(ItemOutcome::outcome, ItemOutcome::settlement).containsExactly(
                tuple(DeliveryOutcome.PROCESSED, Settlement.ACK),
                tuple(DeliveryOutcome.IN_FLIGHT_REQUEUED, Settlement.REQUEUE),
                tuple(DeliveryOutcome.IN_FLIGHT_REQUEUED, Settlement.REQUEUE));
    }

    @Test
    void shouldDiscardClaimAndRejectWholeBatchWhenFailureReachesMaxAttempts() {
        settings.maxAttempts(2);
        failOnce("E1");

        BatchOutcome outcome = process(BatchSettlement.WHOLE_BATCH, positions -> {
            throw new IllegalStateException("fails again");
        }, "E1", "E2");

        assertThat(outcomesOf(outcome)).containsExactly(DeliveryOutcome.MAX_ATTEMPTS, DeliveryOutcome.RELEASED);
        assertThat(outcome.settlement()).isEqualTo(Settlement.REJECT);
        assertThat(stateOf("E1")).isEqualTo(ClaimState.ABSENT);
        assertThat(stateOf("E2")).isEqualTo(ClaimState.RELEASED);
    }

    @Test
    void shouldRejectCompletedIdWithOtherContentAsConflict() {
        settings.fingerprint(FingerprintMode.SHA_256);
        deduplicator().processBatch(List.of(delivery("E1", "first")), BatchSettlement.PER_DELIVERY, succeeding());

        BatchOutcome outcome = deduplicator().processBatch(
                List.of(delivery("E1", "second"), delivery("E2", "other"), delivery("E2", "changed")),
                BatchSettlement.PER_DELIVERY, succeeding());

        assertThat(outcome.items()).extracting(ItemOutcome::outcome).containsExactly(DeliveryOutcome.CONFLICT,
                DeliveryOutcome.PROCESSED, DeliveryOutcome.CONFLICT);
    }

    @Test
    void shouldRequeueBatchAfterTheWaitWhenStoreStaysUnreachable() {
        store.failingClaims.set(1_000);

        BatchOutcome outcome = process(BatchSettlement.WHOLE_BATCH, succeeding(), "E1", "E2");

        assertThat(runs).isEmpty();
        assertThat(outcomesOf(outcome)).containsOnly(DeliveryOutcome.STORE_UNAVAILABLE);
        assertThat(outcome.settlement()).isEqualTo(Settlement.REQUEUE);
    }

    @Test
    void shouldRunWithoutClaimsWhenStoreIsUnreachableAndPolicyFailsOpen() {
        settings.storeFailure(StoreFailurePolicy.FAIL_OPEN);
        store.failingClaims.set(1_000);

        BatchOutcome outcome = process(BatchSettlement.WHOLE_BATCH, succeeding(), "E1", "E2");

        assertThat(runs).containsExactly(List.of(0, 1));
        assertThat(outcomesOf(outcome)).containsOnly(DeliveryOutcome.PROCESSED_WITHOUT_CLAIM);
    }

    @Test
    void shouldRetryWholeBatchClaimWithSameTokensWhenStoreFailsOnce() {
        settings.storeRetry(new StoreRetrySettings(3, Duration.ofMillis(1), 1.0));
        store.failingClaims.set(1);

        BatchOutcome outcome = process(BatchSettlement.WHOLE_BATCH, succeeding(), "E1", "E2");

        assertThat(runs).containsExactly(List.of(0, 1));
        assertThat(outcomesOf(outcome)).containsOnly(DeliveryOutcome.PROCESSED);
    }

    @Test
    void shouldGiveBackEveryClaimAndRequeueBatchWhenBatchClaimFailsUnexpectedlyAfterWriting() {
        store.claimAllsFailingAfterWriting.set(1_000);

        BatchOutcome outcome = process(BatchSettlement.WHOLE_BATCH, succeeding(), "E1", "E2");

        assertThat(runs).isEmpty();
        assertThat(outcomesOf(outcome)).containsOnly(DeliveryOutcome.STORE_UNAVAILABLE);
        assertThat(outcome.settlement()).isEqualTo(Settlement.REQUEUE);
        assertThat(outcome.failure()).isNull();
        assertThat(stateOf("E1")).isEqualTo(ClaimState.ABSENT);
        assertThat(stateOf("E2")).isEqualTo(ClaimState.ABSENT);
    }

    @Test
    void shouldRequeueEachDeliveryAndGiveBackClaimsWhenBatchClaimFailsUnexpectedlyAndSettledOnItsOwn() {
        store.claimAllsFailingAfterWriting.set(1_000);

        BatchOutcome outcome = process(BatchSettlement.PER_DELIVERY, succeeding(), "E1", "E2");

        assertThat(runs).isEmpty();
        assertThat(outcome.items()).extracting(ItemOutcome::outcome, ItemOutcome::settlement).containsOnly(
                tuple(DeliveryOutcome.STORE_UNAVAILABLE, Settlement.REQUEUE));
        assertThat(stateOf("E1")).isEqualTo(ClaimState.ABSENT);
        assertThat(stateOf("E2")).isEqualTo(ClaimState.ABSENT);
    }

    @Test
    void shouldClaimAgainWithSameTokensAndRunWhenBatchClaimFailsUnexpectedlyOnce() {
        store.claimAllsFailingAfterWriting.set(1);

        BatchOutcome outcome = process(BatchSettlement.WHOLE_BATCH, succeeding(), "E1", "E2");

        assertThat(runs).containsExactly(List.of(0, 1));
        assertThat(outcomesOf(outcome)).containsOnly(DeliveryOutcome.PROCESSED);
        assertThat(stateOf("E1")).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldEndHoldWithinThirdOfLeaseAndGiveBackClaimsWhenBatchHoldsClaimsSettledAsWhole() {
        settings.lease(Duration.ofSeconds(3));
        OwnerToken holder = claimElsewhere("E2");
        long start = time.getAsLong();
        completeAfter(Duration.ofSeconds(4), "E2", holder);

        BatchOutcome outcome = process(BatchSettlement.WHOLE_BATCH, succeeding(), "E1", "E2");

        assertThat(runs).isEmpty();
        assertThat(outcomesOf(outcome)).containsOnly(DeliveryOutcome.IN_FLIGHT_REQUEUED);
        assertThat(Duration.ofNanos(time.getAsLong() - start)).isLessThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(stateOf("E1")).isEqualTo(ClaimState.ABSENT);
    }

    @Test
    void shouldRunClaimedIdsBeforeTheirLeaseCanExpireWhenHeldIdStaysInFlightAndSettledOnItsOwn() {
        settings.lease(Duration.ofSeconds(3));
        OwnerToken holder = claimElsewhere("E2");
        completeAfter(Duration.ofSeconds(4), "E2", holder);
        List<ClaimState> atRun = new ArrayList<>();
        BatchInvocation checking = positions -> {
            atRun.add(stateOf("E1"));
            return succeeding().proceed(positions);
        };

        BatchOutcome outcome = process(BatchSettlement.PER_DELIVERY, checking, "E1", "E2");

        assertThat(runs).containsExactly(List.of(0));
        assertThat(atRun).containsExactly(ClaimState.IN_PROGRESS);
        assertThat(outcomesOf(outcome)).containsExactly(DeliveryOutcome.PROCESSED,
                DeliveryOutcome.IN_FLIGHT_REQUEUED);
        assertThat(stateOf("E1")).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldHoldForWholeInFlightWaitWhenBatchHoldsNoClaim() {
        settings.lease(Duration.ofSeconds(3));
        OwnerToken holder = claimElsewhere("E2");
        completeAfter(Duration.ofSeconds(4), "E2", holder);

        BatchOutcome outcome = process(BatchSettlement.WHOLE_BATCH, succeeding(), "E2");

        assertThat(runs).isEmpty();
        assertThat(outcomesOf(outcome)).containsExactly(DeliveryOutcome.DUPLICATE);
    }

    private BatchOutcome process(BatchSettlement mode, BatchInvocation invocation, String... ids) {
        List<IncomingDelivery> deliveries = Arrays.stream(ids).map(id -> IncomingDelivery.of(id, null)).toList();
        return deduplicator().processBatch(deliveries, mode, invocation);
    }

    private BatchInvocation succeeding() {
        return positions -> {
            runs.add(positions);
            return Map.of();
        };
    }

    private Deduplicator deduplicator() {
        ClaimStore counting = new CountingClaimAll(store, claimAllCalls);
        return new Deduplicator(settings.build(), counting, OutcomeListener.NONE, time, time);
    }

    private void complete(String eventId) {
        OwnerToken token = OwnerToken.random();
        memory.claim(key(eventId), token, null, LEASE);
        memory.complete(key(eventId), token, Duration.ofHours(1));
    }

    private void failOnce(String eventId) {
        OwnerToken token = OwnerToken.random();
        memory.claim(key(eventId), token, null, LEASE);
        memory.release(key(eventId), token, Duration.ofHours(1));
    }

    private OwnerToken claimElsewhere(String eventId) {
        OwnerToken holder = OwnerToken.random();
        memory.claim(key(eventId), holder, null, LEASE);
        return holder;
    }

    private void completeAfter(Duration delay, String eventId, OwnerToken holder) {
        long due = time.getAsLong() + delay.toNanos();
        time.onPause(() -> {
            if (time.getAsLong() >= due) {
                memory.complete(key(eventId), holder, Duration.ofHours(1));
            }
        });
    }

    private ClaimState stateOf(String eventId) {
        return memory.inspect(key(eventId)).state();
    }

    private ClaimKey key(String eventId) {
        return settings.build().keyFor(eventId);
    }

    private static IncomingDelivery delivery(String eventId, String body) {
        return IncomingDelivery.of(eventId, null).withBody(body.getBytes(StandardCharsets.UTF_8));
    }

    private static List<DeliveryOutcome> outcomesOf(BatchOutcome outcome) {
        return outcome.items().stream().map(ItemOutcome::outcome).toList();
    }

    /** Counts the batch claims that reach a store, and hands each to the store it wraps as one batch claim. */
    private static final class CountingClaimAll extends ForwardingClaimStore {

        private final ClaimStore delegate;
        private final AtomicInteger calls;

        private CountingClaimAll(ClaimStore delegate, AtomicInteger calls) {
            super(delegate);
            this.delegate = delegate;
            this.calls = calls;
        }

        @Override
        public List<ClaimResult> claimAll(List<ClaimRequest> requests, Duration lease) {
            calls.incrementAndGet();
            return delegate.claimAll(requests, lease);
        }
    }
}
