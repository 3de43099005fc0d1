package io.github.listenerdedup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.listenerdedup.store.memory.InMemoryClaimStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class DeduplicatorTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final FakeTime time = new FakeTime();
    private final InMemoryClaimStore memory = new InMemoryClaimStore(time, Clock.systemUTC());
    private final ScriptedFailureStore store = new ScriptedFailureStore(memory);
    private final List<DeliveryOutcome> reported = new ArrayList<>();
    private final AtomicInteger runs = new AtomicInteger();
    private DedupSettings settings;

    @BeforeEach
    void setUp() {
        settings = DedupSettings.builder()
                .group("billing")
                .inFlightWait(WAIT)
                .storeRetry(StoreRetrySettings.NONE)
                .leaseRenewal(false)
                .build();
    }

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void shouldRunHandlerAndCompleteClaimWhenIdIsNew() throws Throwable {
        DeliveryOutcome outcome = deduplicator().process(delivery("E1"), this::countRun);

        assertThat(outcome).isEqualTo(DeliveryOutcome.PROCESSED);
        assertThat(outcome.settlement()).isEqualTo(Settlement.ACK);
        assertThat(runs).hasValue(1);
        assertThat(memory.inspect(key("E1")).state()).isEqualTo(ClaimState.COMPLETED);
        assertThat(reported).containsExactly(DeliveryOutcome.PROCESSED);
    }

    @Test
    void shouldSkipHandlerWhenIdWasCompleted() throws Throwable {
        Deduplicator deduplicator = deduplicator();
        deduplicator.process(delivery("E1"), this::countRun);

        DeliveryOutcome outcome = deduplicator.process(delivery("E1"), this::countRun);

        assertThat(outcome).isEqualTo(DeliveryOutcome.DUPLICATE);
        assertThat(outcome.settlement()).isEqualTo(Settlement.ACK);
        assertThat(runs).hasValue(1);
    }

    @Test
    void shouldReleaseClaimAndRethrowWhenHandlerThrows() {
        IllegalStateException failure = new IllegalStateException("payment gateway down");

        assertThatThrownBy(() -> deduplicator().process(delivery("E1"), () -> {
            throw failure;
        })).isSameAs(failure);

        ClaimSnapshot claim = memory.inspect(key("E1"));
        assertThat(claim.state()).isEqualTo(ClaimState.RELEASED);
        assertThat(claim.attempts()).isEqualTo(1);
        assertThat(reported).containsExactly(DeliveryOutcome.RELEASED);
        assertThat(DeliveryOutcome.RELEASED.settlement()).isEqualTo(Settlement.FAIL);
    }

    @Test
    void shouldReleaseClaimAndRethrowWhenHandlerThrowsError() {
        OutOfMemoryError failure = new OutOfMemoryError("simulated");

        assertThatThrownBy(() -> deduplicator().process(delivery("E1"), () -> {
            throw failure;
        })).isSameAs(failure);

        assertThat(memory.inspect(key("E1")).state()).isEqualTo(ClaimState.RELEASED);
    }

    @Test
    void shouldRunAgainAsSecondAttemptWhenRedeliveredAfterFailure() throws Throwable {
        Deduplicator deduplicator = deduplicator();
        assertThatThrownBy(() -> deduplicator.process(delivery("E1"), () -> {
            throw new IllegalStateException("first attempt");
        })).isInstanceOf(IllegalStateException.class);

        DeliveryOutcome outcome = deduplicator.process(delivery("E1"), this::countRun);

        assertThat(outcome).isEqualTo(DeliveryOutcome.PROCESSED);
        assertThat(runs).hasValue(1);
        assertThat(memory.inspect(key("E1")).attempts()).isEqualTo(2);
    }

    @Test
    void shouldRequeueWithoutRunningWhenAnotherDeliveryHoldsClaimPastWait() throws Throwable {
        memory.claim(key("E1"), OwnerToken.random(), null, Duration.ofMinutes(1));

        DeliveryOutcome outcome = deduplicator().process(delivery("E1"), this::countRun);

        assertThat(outcome).isEqualTo(DeliveryOutcome.IN_FLIGHT_REQUEUED);
        assertThat(outcome.settlement()).isEqualTo(Settlement.REQUEUE);
        assertThat(runs).hasValue(0);
        assertThat(time.pauses()).isGreaterThan(1);
        assertThat(memory.inspect(key("E1")).state()).isEqualTo(ClaimState.IN_PROGRESS);
    }

    @Test
    void shouldAckAsDuplicateWhenHeldDeliveryFindsClaimCompleted() throws Throwable {
        OwnerToken first = OwnerToken.random();
        memory.claim(key("E1"), first, null, Duration.ofMinutes(1));
        time.onPause(() -> memory.complete(key("E1"), first, settings.retention()));

        DeliveryOutcome outcome = deduplicator().process(delivery("E1"), this::countRun);

        assertThat(outcome).isEqualTo(DeliveryOutcome.DUPLICATE);
        assertThat(runs).hasValue(0);
        assertThat(time.pauses()).isEqualTo(1);
    }

    @Test
    void shouldRunHeldDeliveryWhenOtherAttemptReleasesClaim() throws Throwable {
        OwnerToken first = OwnerToken.random();
        memory.claim(key("E1"), first, null, Duration.ofMinutes(1));
        time.onPause(() -> memory.release(key("E1"), first, settings.retention()));

        DeliveryOutcome outcome = deduplicator().process(delivery("E1"), this::countRun);

        assertThat(outcome).isEqualTo(DeliveryOutcome.PROCESSED);
        assertThat(runs).hasValue(1);
        assertThat(memory.inspect(key("E1")).attempts()).isEqualTo(2);
    }

    @Test
    void shouldRunHeldDeliveryWhenOwnersLeaseExpires() throws Throwable {
        memory.claim(key("E1"), OwnerToken.random(), null, Duration.ofSeconds(2));

        DeliveryOutcome outcome = deduplicator().process(delivery("E1"), this::countRun);

        assertThat(outcome).isEqualTo(DeliveryOutcome.PROCESSED);
        assertThat(runs).hasValue(1);
    }

    @Test
    void shouldRequeueAtOnceWhenInFlightWaitIsZero() throws Throwable {
        memory.claim(key("E1"), OwnerToken.random(), null, Duration.ofMinutes(1));
        settings = settings.toBuilder().inFlightWait(Duration.ZERO).build();

        DeliveryOutcome outcome = deduplicator().process(delivery("E1"), this::countRun);

        assertThat(outcome).isEqualTo(DeliveryOutcome.IN_FLIGHT_REQUEUED);
        assertThat(time.pauses()).isZero();
    }

    @Test
    void shouldRequeueAndKeepInterruptWhenInterruptedWhileHeld() throws Throwable {
        memory.claim(key("E1"), OwnerToken.random(), null, Duration.ofMinutes(1));
        Pacer interrupted = nanos -> {
            throw new InterruptedException("stopping");
        };
        Deduplicator deduplicator = new Deduplicator(settings, store, this::record, interrupted, time);

        DeliveryOutcome outcome = deduplicator.process(delivery("E1"), this::countRun);

        assertThat(outcome).isEqualTo(DeliveryOutcome.IN_FLIGHT_REQUEUED);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void shouldRequeueWithoutRunningWhenStoreStaysUnreachableFailClosed() throws Throwable {
        store.failingClaims.set(Integer.MAX_VALUE);

        DeliveryOutcome outcome = deduplicator().process(delivery("E1"), this::countRun);

        assertThat(outcome).isEqualTo(DeliveryOutcome.STORE_UNAVAILABLE);
        assertThat(outcome.settlement()).isEqualTo(Settlement.REQUEUE);
        assertThat(runs).hasValue(0);
        assertThat(memory.size()).as("nothing is remembered locally").isZero();
    }

    @Test
    void shouldRunOnceWhenStoreReturnsWhileDeliveryIsHeld() throws Throwable {
        store.failingClaims.set(3);

        DeliveryOutcome outcome = deduplicator().process(delivery("E1"), this::countRun);

        assertThat(outcome).isEqualTo(DeliveryOutcome.PROCESSED);
        assertThat(runs).hasValue(1);
        assertThat(time.pauses()).isEqualTo(3);
    }

    @Test
    void shouldRunWithoutClaimWhenStoreIsUnreachableFailOpen() throws Throwable {
        store.failingClaims.set(Integer.MAX_VALUE);
        settings = settings.toBuilder().storeFailure(StoreFailurePolicy.FAIL_OPEN).build();

        DeliveryOutcome outcome = deduplicator().process(delivery("E1"), this::countRun);

        assertThat(outcome).isEqualTo(DeliveryOutcome.PROCESSED_WITHOUT_CLAIM);
        assertThat(runs).hasValue(1);
    }

    @Test
    void shouldAckButReportCompletionLostWhenStoreFailsAfterHandler() throws Throwable {
        store.failingCompletes.set(1);

        DeliveryOutcome outcome = deduplicator().process(delivery("E1"), this::countRun);

        assertThat(outcome).isEqualTo(DeliveryOutcome.COMPLETION_LOST);
        assertThat(outcome.settlement()).isEqualTo(Settlement.ACK);
        assertThat(runs).hasValue(1);
        assertThat(memory.inspect(key("E1")).state()).isEqualTo(ClaimState.IN_PROGRESS);
    }

    @Test
    void shouldReportLeaseLostAndLeaveNewOwnersClaimWhenLeaseRanOut() throws Throwable {
        OwnerToken newOwner = OwnerToken.random();
        DeliveryOutcome outcome = deduplicator().process(delivery("E1"), () -> {
            time.advance(settings.lease().plusSeconds(1));
            memory.claim(key("E1"), newOwner, null, settings.lease());
        });

        assertThat(outcome).isEqualTo(DeliveryOutcome.LEASE_LOST);
        ClaimSnapshot claim = memory.inspect(key("E1"));
        assertThat(claim.state()).isEqualTo(ClaimState.IN_PROGRESS);
        assertThat(claim.owner()).isEqualTo(newOwner.value());
    }

    @Test
    void shouldStillRethrowHandlerFailureWhenReleaseCannotReachStore() {
        store.failingReleases.set(1);
        IllegalStateException failure = new IllegalStateException("handler failed");

        assertThatThrownBy(() -> deduplicator().process(delivery("E1"), () -> {
            throw failure;
        })).isSameAs(failure);

        assertThat(memory.inspect(key("E1")).state()).isEqualTo(ClaimState.IN_PROGRESS);
    }

    @Test
    void shouldRejectWithoutTouchingStoreWhenIdIsMissingBlankOrTooLong() throws Throwable {
        Deduplicator deduplicator = deduplicator();
        List<Object> values = new ArrayList<>();
        values.add(null);
        values.add("");
        values.add("   ");
        values.add("x".repeat(DedupSettings.DEFAULT_MAX_ID_LENGTH + 1));
        values.add(new Object());
        for (Object value : values) {
            assertThat(deduplicator.process(IncomingDelivery.of(value, "M1"), this::countRun))
                    .isEqualTo(DeliveryOutcome.REJECTED_ID);
        }

        assertThat(runs).hasValue(0);
        assertThat(memory.size()).isZero();
        assertThat(DeliveryOutcome.REJECTED_ID.settlement()).isEqualTo(Settlement.REJECT);
    }

    @Test
    void shouldRejectWhenResolverFailed() throws Throwable {
        IncomingDelivery delivery = IncomingDelivery.resolve("{", message -> {
            throw new IllegalArgumentException("not JSON");
        }, null);

        assertThat(deduplicator().process(delivery, this::countRun)).isEqualTo(DeliveryOutcome.REJECTED_ID);
        assertThat(runs).hasValue(0);
    }

    @Test
    void shouldRunWithoutClaimWhenIdIsMissingAndPolicyIsProcess() throws Throwable {
        settings = settings.toBuilder().missingId(MissingIdPolicy.PROCESS).build();

        DeliveryOutcome outcome = deduplicator().process(IncomingDelivery.of(null, null), this::countRun);

        assertThat(outcome).isEqualTo(DeliveryOutcome.PROCESSED_WITHOUT_CLAIM);
        assertThat(runs).hasValue(1);
        assertThat(memory.size()).isZero();
    }

    @Test
    void shouldClaimMessageIdWhenIdIsMissingAndPolicyIsMessageId() throws Throwable {
        settings = settings.toBuilder().missingId(MissingIdPolicy.MESSAGE_ID).build();
        Deduplicator deduplicator = deduplicator();

        DeliveryOutcome first = deduplicator.process(IncomingDelivery.of(null, "M11"), this::countRun);
        DeliveryOutcome second = deduplicator.process(IncomingDelivery.of(" ", "M11"), this::countRun);
        DeliveryOutcome noMessageId = deduplicator.process(IncomingDelivery.of(null, null), this::countRun);

        assertThat(first).isEqualTo(DeliveryOutcome.PROCESSED);
        assertThat(second).isEqualTo(DeliveryOutcome.DUPLICATE);
        assertThat(noMessageId).isEqualTo(DeliveryOutcome.REJECTED_ID);
        assertThat(runs).hasValue(1);
        assertThat(memory.inspect(key("M11")).state()).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldPreferEventIdOverMessageIdWhenBothArePresent() throws Throwable {
        settings = settings.toBuilder().missingId(MissingIdPolicy.MESSAGE_ID).build();

        deduplicator().process(IncomingDelivery.of("E1", "M1"), this::countRun);

        assertThat(memory.inspect(key("E1")).state()).isEqualTo(ClaimState.COMPLETED);
        assertThat(memory.inspect(key("M1")).state()).isEqualTo(ClaimState.ABSENT);
    }

    @Test
    void shouldTreatNumberAndItsDecimalTextAsOneId() throws Throwable {
        Deduplicator deduplicator = deduplicator();

        deduplicator.process(IncomingDelivery.of(12345L, null), this::countRun);
        DeliveryOutcome outcome = deduplicator.process(IncomingDelivery.of("12345", null), this::countRun);

        assertThat(outcome).isEqualTo(DeliveryOutcome.DUPLICATE);
        assertThat(runs).hasValue(1);
    }

    @Test
    void shouldPutEventIdInMdcOnlyWhileHandlerRuns() throws Throwable {
        AtomicReference<String> seen = new AtomicReference<>();

        deduplicator().process(delivery("E1\n"), () -> seen.set(MDC.get(Deduplicator.MDC_EVENT_ID)));

        assertThat(seen).hasValue("E1\\n");
        assertThat(MDC.get(Deduplicator.MDC_EVENT_ID)).isNull();
    }

    @Test
    void shouldKeepDeliveringWhenOutcomeListenerThrows() throws Throwable {
        Deduplicator deduplicator = new Deduplicator(settings, store, (group, id, outcome) -> {
            throw new IllegalStateException("metrics down");
        }, time, time);

        assertThat(deduplicator.process(delivery("E1"), this::countRun)).isEqualTo(DeliveryOutcome.PROCESSED);
    }

    @Test
    void shouldKeepGroupsApartWhenTwoListenersHandleOneEvent() throws Throwable {
        Deduplicator billing = deduplicator();
        settings = settings.toBuilder().group("email").build();
        Deduplicator email = deduplicator();

        billing.process(delivery("E10"), this::countRun);
        email.process(delivery("E10"), this::countRun);

        assertThat(runs).hasValue(2);
        assertThat(memory.inspect(new ClaimKey("dedup", "billing", "E10")).state()).isEqualTo(ClaimState.COMPLETED);
        assertThat(memory.inspect(new ClaimKey("dedup", "email", "E10")).state()).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldRetryStoreCallWithSameTokenWhenStoreFailsBriefly() throws Throwable {
        store.failingClaims.set(2);
        settings = settings.toBuilder()
                .storeRetry(new StoreRetrySettings(3, Duration.ofMillis(1), 1.0))
                .build();

        DeliveryOutcome outcome = deduplicator().process(delivery("E1"), this::countRun);

        assertThat(outcome).isEqualTo(DeliveryOutcome.PROCESSED);
        assertThat(time.pauses()).as("retried inside the call, not held").isZero();
        assertThat(memory.inspect(key("E1")).attempts()).isEqualTo(1);
    }

    @Test
    void shouldRejectAsConflictWhenCompletedIdArrivesWithOtherContent() throws Throwable {
        settings = settings.toBuilder().fingerprint(FingerprintMode.SHA_256).build();
        Deduplicator deduplicator = deduplicator();
        deduplicator.process(delivery("E1").withBody(new byte[] {1, 2, 3}), this::countRun);

        DeliveryOutcome other = deduplicator.process(delivery("E1").withBody(new byte[] {9}), this::countRun);
        DeliveryOutcome same = deduplicator.process(delivery("E1").withBody(new byte[] {1, 2, 3}), this::countRun);

        assertThat(other).isEqualTo(DeliveryOutcome.CONFLICT);
        assertThat(other.settlement()).isEqualTo(Settlement.REJECT);
        assertThat(same).isEqualTo(DeliveryOutcome.DUPLICATE);
        assertThat(runs).hasValue(1);
        assertThat(memory.inspect(key("E1")).fingerprint()).hasSize(43);
    }

    @Test
    void shouldTreatAsDuplicateWhenCompletedWithoutFingerprint() throws Throwable {
        deduplicator().process(delivery("E1").withBody(new byte[] {1}), this::countRun);
        settings = settings.toBuilder().fingerprint(FingerprintMode.SHA_256).build();

        DeliveryOutcome outcome = deduplicator().process(delivery("E1").withBody(new byte[] {2}), this::countRun);

        assertThat(outcome).isEqualTo(DeliveryOutcome.DUPLICATE);
    }

    @Test
    void shouldDiscardClaimAndRejectWhenLastAllowedAttemptFails() throws Throwable {
        settings = settings.toBuilder().maxAttempts(2).build();
        Deduplicator deduplicator = deduplicator();
        ListenerInvocation failing = () -> {
            runs.incrementAndGet();
            throw new IllegalStateException("poison");
        };

        assertThatThrownBy(() -> deduplicator.process(delivery("E1"), failing))
                .isInstanceOf(IllegalStateException.class);
        DeliveryOutcome last = deduplicator.process(delivery("E1"), failing);

        assertThat(last).isEqualTo(DeliveryOutcome.MAX_ATTEMPTS);
        assertThat(last.settlement()).isEqualTo(Settlement.REJECT);
        assertThat(runs).hasValue(2);
        assertThat(memory.inspect(key("E1")).state()).as("a replay starts afresh").isEqualTo(ClaimState.ABSENT);
        assertThat(reported).containsExactly(DeliveryOutcome.RELEASED, DeliveryOutcome.MAX_ATTEMPTS);
    }

    @Test
    void shouldAckAsCompletionLostWhenCompleteFailsUnexpectedly() throws Throwable {
        store.completeError.set(new IllegalStateException("MISCONF"));

        DeliveryOutcome outcome = deduplicator().process(delivery("E1"), this::countRun);

        assertThat(outcome).isEqualTo(DeliveryOutcome.COMPLETION_LOST);
        assertThat(outcome.settlement()).isEqualTo(Settlement.ACK);
    }

    @Test
    void shouldRethrowHandlerFailureWithStoreErrorSuppressedWhenReleaseFailsUnexpectedly() {
        IllegalStateException storeError = new IllegalStateException("NOPERM");
        store.releaseError.set(storeError);
        Error failure = new AssertionError("handler");

        assertThatThrownBy(() -> deduplicator().process(delivery("E1"), () -> {
            throw failure;
        })).isSameAs(failure).satisfies(thrown -> assertThat(thrown.getSuppressed()).containsExactly(storeError));
    }

    @Test
    void shouldReleaseAndRethrowErrorEvenOnLastAllowedAttempt() {
        settings = settings.toBuilder().maxAttempts(1).build();
        StackOverflowError failure = new StackOverflowError();

        assertThatThrownBy(() -> deduplicator().process(delivery("E1"), () -> {
            throw failure;
        })).isSameAs(failure);

        assertThat(memory.inspect(key("E1")).state()).isEqualTo(ClaimState.RELEASED);
    }

    @Test
    void shouldDiscardOwnClaimWhenGivingUpOnStoreAfterClaimReplyWasLost() throws Throwable {
        store.claimsLosingReply.set(Integer.MAX_VALUE);

        DeliveryOutcome outcome = deduplicator().process(delivery("E1"), this::countRun);

        assertThat(outcome).isEqualTo(DeliveryOutcome.STORE_UNAVAILABLE);
        assertThat(memory.inspect(key("E1")).state())
                .as("the claim that reached the store is not left blocking the redelivery")
                .isEqualTo(ClaimState.ABSENT);
    }

    @Test
    void shouldFallBackToMessageIdWhenResolverFailedAndPolicyIsMessageId() throws Throwable {
        settings = settings.toBuilder().missingId(MissingIdPolicy.MESSAGE_ID).build();
        IncomingDelivery delivery = IncomingDelivery.resolve("{", message -> {
            throw new IllegalArgumentException("not JSON");
        }, "M7");

        assertThat(deduplicator().process(delivery, this::countRun)).isEqualTo(DeliveryOutcome.PROCESSED);
        assertThat(memory.inspect(key("M7")).state()).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldTellAdaptersTheRunningEventIdWhateverTheLoggingBackend() throws Throwable {
        AtomicReference<String> seen = new AtomicReference<>();

        deduplicator().process(delivery("E1\n"), () -> seen.set(Deduplicator.currentEventId()));

        assertThat(seen).hasValue("E1\n");
        assertThat(Deduplicator.currentEventId()).isNull();
    }

    @Test
    void shouldRestoreCallersMdcValueAfterHandler() throws Throwable {
        MDC.put(Deduplicator.MDC_EVENT_ID, "outer");
        try {
            deduplicator().process(delivery("E1"), this::countRun);

            assertThat(MDC.get(Deduplicator.MDC_EVENT_ID)).isEqualTo("outer");
        } finally {
            MDC.remove(Deduplicator.MDC_EVENT_ID);
        }
    }

    @Test
    void shouldKeepProcessingWithoutRenewalAfterClose() throws Throwable {
        settings = settings.toBuilder().leaseRenewal(true).build();
        Deduplicator deduplicator = deduplicator();
        deduplicator.close();

        assertThat(deduplicator.process(delivery("E1"), this::countRun)).isEqualTo(DeliveryOutcome.PROCESSED);
    }

    private Deduplicator deduplicator() {
        return new Deduplicator(settings, store, this::record, time, time);
    }

    private void record(String group, String eventId, DeliveryOutcome outcome) {
        reported.add(outcome);
    }

    private void countRun() {
        runs.incrementAndGet();
    }

    private ClaimKey key(String eventId) {
        return settings.keyFor(eventId);
    }

    private static IncomingDelivery delivery(String eventId) {
        return IncomingDelivery.of(eventId, null);
    }
}
