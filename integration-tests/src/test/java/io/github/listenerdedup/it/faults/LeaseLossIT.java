package io.github.listenerdedup.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.CapturedLogs;
import io.github.listenerdedup.core.ClaimResult.Status;
import io.github.listenerdedup.core.ClaimSnapshot;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.it.RecordingClaimStore;
import io.github.listenerdedup.it.jms.OutcomeCounts;
import jakarta.jms.MessageListener;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Case C02 end to end through ActiveMQ, with a lease of 6 s: copy 1 of E2 stays in its handler for more than two
 * leases, and copy 2 reaches the other consumer after the first lease would have run out. With renewal the claim
 * stays copy 1's, copy 2 is held and acknowledged as a duplicate once copy 1 completes, and the handler runs once.
 * Without renewal the handler may run twice, but copy 1, finishing late, never changes copy 2's claim, and a WARN
 * says the lease was lost.
 *
 * <p>The lease is long against the store's client timeout of 1 s: renewed every 2 s, it outlives two renewals in a
 * row that time out on a busy machine, and without renewal copy 2's claim outlives the store calls the test makes
 * while copy 2 is in its handler. Copy 2 waits up to {@link #IN_FLIGHT_WAIT}, far longer than copy 1 is held after
 * it arrives, so it is held once rather than requeued.
 */
class LeaseLossIT extends FaultCaseSupport {

    private static final Duration LEASE = Duration.ofSeconds(6);
    private static final Duration IN_FLIGHT_WAIT = Duration.ofSeconds(20);
    private static final Duration HANDLER_LIMIT = Duration.ofSeconds(60);
    private static final String ID = "E2";

    private final CountDownLatch finishFirstCopy = new CountDownLatch(1);
    private final CountDownLatch finishSecondCopy = new CountDownLatch(1);
    private final RecordingClaimStore firstStore = recordingStore();
    private final RecordingClaimStore secondStore = recordingStore();
    private final OutcomeCounts firstOutcomes = new OutcomeCounts();
    private final OutcomeCounts secondOutcomes = new OutcomeCounts();

    @AfterEach
    void finishHandlers() {
        finishFirstCopy.countDown();
        finishSecondCopy.countDown();
    }

    @Test
    void shouldKeepClaimAndSkipSecondCopyWhenLeaseIsRenewedPastTwoLeases() {
        startConsumers(settings().lease(LEASE).inFlightWait(IN_FLIGHT_WAIT).build(), false);

        String logs = CapturedLogs.during(LIBRARY_LOGGER, () -> {
            publish(ID);
            await().atMost(SETTLE).until(() -> runs.startsOf(ID) == 1);
            String owner = claimOf(ID).owner();
            awaitClaimKept(owner);
            publish(ID);
            await().atMost(SETTLE).until(() -> answered(Status.IN_PROGRESS) >= 1);
            awaitClaimKept(owner);
            finishFirstCopy.countDown();
            awaitDrained();
            assertThat(claimOf(ID)).extracting(ClaimSnapshot::state, ClaimSnapshot::owner)
                    .containsExactly(ClaimState.COMPLETED, owner);
        });

        assertThat(runs.startsOf(ID)).isOne();
        assertThat(outcomes(DeliveryOutcome.PROCESSED)).isOne();
        assertThat(outcomes(DeliveryOutcome.DUPLICATE)).isOne();
        assertThat(firstOutcomes.of(DeliveryOutcome.PROCESSED) + firstOutcomes.of(DeliveryOutcome.DUPLICATE))
                .as("copies settled by each consumer").isOne();
        assertThat(logs).doesNotContain("Lost the lease", "lease was lost");
    }

    @ParameterizedTest(name = "copy 1 fails: {0}")
    @ValueSource(booleans = {false, true})
    void shouldNeverChangeSecondCopysClaimWhenFirstCopyLostItsLeaseWithoutRenewal(boolean firstCopyFails) {
        startConsumers(settings().lease(LEASE).leaseRenewal(false).inFlightWait(IN_FLIGHT_WAIT).build(),
                firstCopyFails);
        DeliveryOutcome firstCopysOutcome = DeliveryOutcome.LEASE_LOST;

        String logs = CapturedLogs.during(LIBRARY_LOGGER, () -> {
            publish(ID);
            await().atMost(SETTLE).until(() -> runs.startsOf(ID) == 1);
            await().atMost(SETTLE).until(() -> claimOf(ID).state() == ClaimState.ABSENT);
            publish(ID);
            await().atMost(SETTLE).until(() -> runs.startsOf(ID) == 2);
            String secondOwner = claimOf(ID).owner();
            finishFirstCopy.countDown();
            await().atMost(SETTLE).until(() -> outcomes(firstCopysOutcome) == 1);
            assertThat(claimOf(ID)).extracting(ClaimSnapshot::state, ClaimSnapshot::owner)
                    .containsExactly(ClaimState.IN_PROGRESS, secondOwner);
            finishSecondCopy.countDown();
            awaitDrained();
            assertThat(claimOf(ID)).extracting(ClaimSnapshot::state, ClaimSnapshot::owner)
                    .containsExactly(ClaimState.COMPLETED, secondOwner);
        });

        assertThat(runs.startsOf(ID)).isEqualTo(2);
        assertThat(runs.successesOf(ID)).isEqualTo(firstCopyFails ? 1 : 2);
        assertThat(logs).contains(firstCopyFails
                ? "WARN io.github.listenerdedup.core.Deduplicator - Could not release dedup:" + group + ":" + ID
                        + " after the handler failed: its lease was lost to another delivery"
                : "WARN io.github.listenerdedup.core.Deduplicator - Handled dedup:" + group + ":" + ID
                        + " but its lease was lost to another delivery before completion");
    }

    private void startConsumers(DedupSettings settings, boolean firstCopyFails) {
        startConsumer(deduplicator(settings, firstStore, firstOutcomes), holdingListener(firstCopyFails));
        startConsumer(deduplicator(settings, secondStore, secondOutcomes), holdingListener(firstCopyFails));
    }

    /** A handler that stays in each run until the test lets that copy finish; copy 1 may then throw. */
    private MessageListener holdingListener(boolean firstCopyFails) {
        return message -> {
            String eventId = idOf(message);
            int start = runs.started(eventId);
            awaitLatch(start == 1 ? finishFirstCopy : finishSecondCopy);
            if (start == 1 && firstCopyFails) {
                throw new IllegalStateException("copy 1 of " + eventId + " fails after its lease ran out");
            }
            runs.succeeded(eventId);
        };
    }

    private void awaitClaimKept(String owner) {
        await().during(LEASE).atMost(LEASE.multipliedBy(3)).until(() -> {
            ClaimSnapshot claim = claimOf(ID);
            return claim.state() == ClaimState.IN_PROGRESS && owner.equals(claim.owner());
        });
    }

    private int answered(Status status) {
        return firstStore.claimsAnswered(status) + secondStore.claimsAnswered(status);
    }

    private int outcomes(DeliveryOutcome outcome) {
        return firstOutcomes.of(outcome) + secondOutcomes.of(outcome);
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(HANDLER_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("The test never let the handler finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
