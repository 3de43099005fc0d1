package io.github.listenerdedup.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.core.ClaimResult.Status;
import io.github.listenerdedup.core.ClaimSnapshot;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.it.RecordingClaimStore;
import io.github.listenerdedup.it.jms.OutcomeCounts;
import io.github.listenerdedup.it.redis.AdminConnection;
import io.github.listenerdedup.it.redis.AdminConnection.PauseMode;
import io.github.listenerdedup.jms.JmsDeduplication;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Case C07 end to end through ActiveMQ: the first claim reaches Redis, but Redis holds every client back for 1.5 s
 * ({@code CLIENT PAUSE}) against the client's timeout of 1 s, so its reply comes too late. The store retry sends the
 * claim again with the same token; it runs after the first and finds the delivery's own claim. The handler runs
 * once, and the delivery is never acknowledged as a duplicate of itself.
 *
 * <p>The pause starts as the listener reads the event id, the step right before the claim, so the claim is the
 * first command Redis holds back.
 */
class ClaimReplyLostIT extends FaultCaseSupport {

    private static final Duration STALL = Duration.ofMillis(1_500);

    @Test
    void shouldRunOnceAndNeverSkipAsDuplicateWhenFirstClaimsReplyCameAfterTimeout() {
        RecordingClaimStore store = recordingStore();
        OutcomeCounts outcomes = new OutcomeCounts();
        Deduplicator deduplicator = deduplicator(settings().build(), store, outcomes);
        AtomicBoolean stalled = new AtomicBoolean();
        try (AdminConnection admin = AdminConnection.to(redis.uri(""))) {
            startConsumer(JmsDeduplication.of(deduplicator).idResolver(message -> {
                if (stalled.compareAndSet(false, true)) {
                    admin.pause(STALL, PauseMode.ALL);
                }
                return idOf(message);
            }), countingListener());
            admin.commands().configResetstat();

            publish("E7");

            await().atMost(SETTLE).until(() -> runs.successesOf("E7") == 1);
            awaitDrained();
            assertThat(admin.calls("evalsha")).as("the late claim, its retry and the completion").isEqualTo(3);
        }
        assertThat(stalled).isTrue();
        assertThat(runs.startsOf("E7")).isOne();
        assertThat(store.claimCalls()).as("claims sent, the timed-out one included").isEqualTo(2);
        assertThat(store.claimsAnswered(Status.ACQUIRED)).isOne();
        assertThat(store.claimsAnswered(Status.IN_PROGRESS) + store.claimsAnswered(Status.COMPLETED)).isZero();
        assertThat(outcomes.of(DeliveryOutcome.PROCESSED)).isOne();
        assertThat(outcomes.of(DeliveryOutcome.DUPLICATE)).isZero();
        assertThat(claimOf("E7")).extracting(ClaimSnapshot::state, ClaimSnapshot::attempts)
                .containsExactly(ClaimState.COMPLETED, 1);
    }
}
