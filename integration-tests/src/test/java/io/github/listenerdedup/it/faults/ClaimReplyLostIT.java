package io.github.listenerdedup.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.ClaimResult;
import io.github.listenerdedup.core.ClaimResult.Status;
import io.github.listenerdedup.core.ClaimSnapshot;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.ClaimStore;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.core.ForwardingClaimStore;
import io.github.listenerdedup.core.OwnerToken;
import io.github.listenerdedup.it.jms.OutcomeCounts;
import io.github.listenerdedup.it.redis.AdminConnection;
import io.github.listenerdedup.it.redis.AdminConnection.PauseMode;
import io.github.listenerdedup.jms.JmsDeduplication;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Case C07 end to end through ActiveMQ: the first claim reaches Redis, but Redis holds every client back for 1.5 s
 * ({@code CLIENT PAUSE}) against the client's timeout of 1 s, so its reply comes too late. The store retry sends the
 * claim again with the same token; it runs after the first and finds the delivery's own claim. The handler runs
 * once, and the delivery is never acknowledged as a duplicate of itself.
 *
 * <p>A first delivery of another id loads the scripts into Redis, so the late claim runs its script rather than
 * answering {@code NOSCRIPT}, and really writes the claim the retry then finds. The pause starts as the listener
 * reads the event id, the step right before the claim, so the claim is the first command Redis holds back.
 */
class ClaimReplyLostIT extends FaultCaseSupport {

    private static final Duration STALL = Duration.ofMillis(1_500);
    private static final String WARM_UP_ID = "E7-warm-up";

    @Test
    void shouldRunOnceAndNeverSkipAsDuplicateWhenFirstClaimsReplyCameAfterTimeout() {
        ClaimAttempts store = new ClaimAttempts(redisStore);
        OutcomeCounts outcomes = new OutcomeCounts();
        Deduplicator deduplicator = deduplicator(settings().build(), store, outcomes);
        AtomicBoolean stalled = new AtomicBoolean();
        try (AdminConnection admin = AdminConnection.to(redis.uri(""))) {
            startConsumer(JmsDeduplication.of(deduplicator).idResolver(message -> {
                String eventId = idOf(message);
                if ("E7".equals(eventId) && stalled.compareAndSet(false, true)) {
                    admin.pause(STALL, PauseMode.ALL);
                }
                return eventId;
            }), countingListener());
            publish(WARM_UP_ID);
            await().atMost(SETTLE).until(() -> outcomes.of(DeliveryOutcome.PROCESSED) == 1);
            admin.commands().configResetstat();

            publish("E7");

            await().atMost(SETTLE).until(() -> outcomes.of(DeliveryOutcome.PROCESSED) == 2);
            awaitDrained();
            assertThat(admin.calls("eval")).as("scripts sent by source: the cache was warm").isZero();
            assertThat(admin.calls("evalsha")).as("the late claim, its retry and the completion")
                    .isGreaterThanOrEqualTo(3);
        }
        assertThat(stalled).isTrue();
        assertThat(runs.startsOf("E7")).isOne();
        List<OwnerToken> tokens = store.tokensOf("E7");
        assertThat(tokens).as("claims sent, the timed-out one included").hasSizeGreaterThanOrEqualTo(2);
        assertThat(tokens).as("one token for every try").containsOnly(tokens.get(0));
        assertThat(store.answersOf("E7")).as("answers received: the timed-out claim gave none")
                .singleElement().extracting(ClaimResult::status, ClaimResult::owner, ClaimResult::attempt)
                .containsExactly(Status.ACQUIRED, tokens.get(0).value(), 1);
        assertThat(outcomes.of(DeliveryOutcome.DUPLICATE)).isZero();
        assertThat(claimOf("E7")).extracting(ClaimSnapshot::state, ClaimSnapshot::owner, ClaimSnapshot::attempts)
                .containsExactly(ClaimState.COMPLETED, tokens.get(0).value(), 1);
    }

    /** Passes claims to a real store and records, per event id, the token of each try and each answer received. */
    private static final class ClaimAttempts extends ForwardingClaimStore {

        private final Map<String, List<OwnerToken>> tokens = new ConcurrentHashMap<>();
        private final Map<String, List<ClaimResult>> answers = new ConcurrentHashMap<>();

        ClaimAttempts(ClaimStore delegate) {
            super(delegate);
        }

        @Override
        public ClaimResult claim(ClaimKey key, OwnerToken token, String fingerprint, Duration lease) {
            tokens.computeIfAbsent(key.eventId(), id -> new CopyOnWriteArrayList<>()).add(token);
            ClaimResult answer = super.claim(key, token, fingerprint, lease);
            answers.computeIfAbsent(key.eventId(), id -> new CopyOnWriteArrayList<>()).add(answer);
            return answer;
        }

        List<OwnerToken> tokensOf(String eventId) {
            return List.copyOf(tokens.getOrDefault(eventId, List.of()));
        }

        List<ClaimResult> answersOf(String eventId) {
            return List.copyOf(answers.getOrDefault(eventId, List.of()));
        }
    }
}
