package io.github.listenerdedup.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.core.ClaimResult;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.ClaimStore;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.core.OutcomeListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every broker adapter must do with real deliveries: delivered twice, handled once; a failure releases the
 * claim so the redelivery succeeds; an in-flight duplicate is never acknowledged; a delivery without an id is
 * rejected to the dead-letter path; many consumers and many ids, each handled exactly once, nothing lost.
 *
 * <p>A broker's test extends it and says how to start consumers, publish and look at its queues.
 */
public abstract class BrokerDeliveryContract {

    /** The header the contract publishes ids in. */
    protected static final String HEADER = DedupSettings.DEFAULT_HEADER_NAME;

    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);

    protected RecordingClaimStore store;
    protected HandlerRuns runs;
    protected String group;
    private final Map<DeliveryOutcome, AtomicInteger> outcomes = new ConcurrentHashMap<>();

    /** A handler as a test writes it: the id header as text ({@code null} when absent) and the body. */
    @FunctionalInterface
    protected interface TestHandler {
        void handle(String eventId, String body) throws Exception;
    }

    /**
     * The store the contract runs against: the shared Redis of {@link TestServices}.
     *
     * @return a store; each test uses its own group, so a shared store is fine
     */
    protected ClaimStore createStore() {
        return TestServices.sharedRedisStore();
    }

    /**
     * Starts consumers on the broker's test queue, with deduplication installed the way users install it.
     *
     * @param consumers    how many concurrent consumers
     * @param deduplicator the deduplicator to install
     * @param handler      the handler, already counting runs
     */
    protected abstract void startConsumers(int consumers, Deduplicator deduplicator, TestHandler handler)
            throws Exception;

    /**
     * Publishes one message to the test queue.
     *
     * @param headers headers or properties to set; the id goes under {@link #HEADER}
     * @param body    the text body
     */
    protected abstract void publish(Map<String, Object> headers, String body) throws Exception;

    /** @return how many messages reached the dead-letter queue of the test queue */
    protected abstract int deadLetterCount() throws Exception;

    /** @return whether the test queue holds no message, ready or unacknowledged */
    protected abstract boolean isDrained() throws Exception;

    /** Stops every consumer and removes what the test created on the broker. */
    protected abstract void stopConsumers() throws Exception;

    @BeforeEach
    void setUpContract() {
        store = new RecordingClaimStore(createStore());
        runs = new HandlerRuns();
        group = "contract-" + UUID.randomUUID();
        outcomes.clear();
    }

    @AfterEach
    void tearDownContract() throws Exception {
        stopConsumers();
    }

    /**
     * Settings for the test's group: short lease, short in-flight wait.
     *
     * @return a builder to adjust
     */
    protected DedupSettings.Builder settings() {
        return DedupSettings.builder()
                .group(group)
                .lease(Duration.ofSeconds(10))
                .retention(Duration.ofMinutes(10))
                .inFlightWait(Duration.ofSeconds(2));
    }

    /**
     * A deduplicator on the contract's store that counts outcomes.
     *
     * @param settings the settings
     * @return the deduplicator
     */
    protected Deduplicator deduplicator(DedupSettings settings) {
        OutcomeListener counting = (g, id, outcome) ->
                outcomes.computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet();
        return new Deduplicator(settings, store, counting);
    }

    /** @return how often the outcome was reported */
    protected int outcomeCount(DeliveryOutcome outcome) {
        AtomicInteger count = outcomes.get(outcome);
        return count == null ? 0 : count.get();
    }

    /**
     * Wraps a handler so that its runs are counted.
     *
     * @param handler the handler
     * @return the counting handler
     */
    protected TestHandler counting(TestHandler handler) {
        return (eventId, body) -> {
            runs.started(eventId);
            handler.handle(eventId, body);
            runs.succeeded(eventId);
        };
    }

    /** Publishes a message whose id header is the given id. */
    protected void publishEvent(String eventId, String body) throws Exception {
        publish(Map.of(HEADER, eventId), body);
    }

    /** @return the store's state of the id in the test's group */
    protected ClaimState stateOf(String eventId) {
        return store.inspect(settings().build().keyFor(eventId)).state();
    }

    /** Waits until the test queue is drained. */
    protected void awaitDrained() {
        await().atMost(SETTLE_TIMEOUT).until(this::isDrained);
    }

    @Test
    void shouldRunHandlerOnceWhenEventIsDeliveredTwice() throws Exception {
        startConsumers(1, deduplicator(settings().build()), counting((id, body) -> { }));

        publishEvent("E-twice", "first");
        publishEvent("E-twice", "second");

        await().atMost(SETTLE_TIMEOUT).until(() -> outcomeCount(DeliveryOutcome.DUPLICATE) == 1);
        awaitDrained();
        assertThat(runs.startsOf("E-twice")).isEqualTo(1);
        assertThat(outcomeCount(DeliveryOutcome.PROCESSED)).isEqualTo(1);
        assertThat(stateOf("E-twice")).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldReleaseClaimAndSucceedOnRedeliveryWhenFirstAttemptFails() throws Exception {
        startConsumers(1, deduplicator(settings().build()), counting((id, body) -> {
            if (runs.startsOf(id) == 1) {
                throw new IllegalStateException("first attempt fails");
            }
        }));

        publishEvent("E-fails-once", "body");

        await().atMost(SETTLE_TIMEOUT).until(() -> runs.successesOf("E-fails-once") == 1);
        awaitDrained();
        assertThat(runs.startsOf("E-fails-once")).isEqualTo(2);
        assertThat(store.releases()).isEqualTo(1);
        assertThat(outcomeCount(DeliveryOutcome.RELEASED)).isEqualTo(1);
        assertThat(stateOf("E-fails-once")).isEqualTo(ClaimState.COMPLETED);
        assertThat(deadLetterCount()).isZero();
    }

    @Test
    void shouldHoldInFlightDuplicateUntilFirstCopyCompletes() throws Exception {
        CountDownLatch firstCopyInside = new CountDownLatch(1);
        CountDownLatch finishFirstCopy = new CountDownLatch(1);
        Deduplicator deduplicator = deduplicator(settings().inFlightWait(Duration.ofSeconds(20)).build());
        startConsumers(2, deduplicator, counting((id, body) -> {
            firstCopyInside.countDown();
            assertThat(finishFirstCopy.await(30, TimeUnit.SECONDS)).isTrue();
        }));

        publishEvent("E-in-flight", "copy 1");
        assertThat(firstCopyInside.await(30, TimeUnit.SECONDS)).isTrue();
        publishEvent("E-in-flight", "copy 2");
        await().atMost(SETTLE_TIMEOUT).until(() -> store.claimsAnswered(ClaimResult.Status.IN_PROGRESS) >= 1);

        assertThat(isDrained()).as("the held copy is never acknowledged while in progress").isFalse();
        assertThat(outcomeCount(DeliveryOutcome.DUPLICATE)).isZero();
        assertThat(outcomeCount(DeliveryOutcome.IN_FLIGHT_REQUEUED)).isZero();
        assertThat(stateOf("E-in-flight")).isEqualTo(ClaimState.IN_PROGRESS);
        finishFirstCopy.countDown();

        await().atMost(SETTLE_TIMEOUT).until(() -> outcomeCount(DeliveryOutcome.DUPLICATE) == 1);
        awaitDrained();
        assertThat(runs.startsOf("E-in-flight")).isEqualTo(1);
        assertThat(store.claimsAnswered(ClaimResult.Status.ACQUIRED)).isEqualTo(1);
        assertThat(stateOf("E-in-flight")).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldRequeueInFlightDuplicateAndSkipItOnceFirstCopyCompletes() throws Exception {
        CountDownLatch firstCopyInside = new CountDownLatch(1);
        CountDownLatch finishFirstCopy = new CountDownLatch(1);
        Deduplicator deduplicator = deduplicator(settings().inFlightWait(Duration.ofMillis(200)).build());
        startConsumers(2, deduplicator, counting((id, body) -> {
            firstCopyInside.countDown();
            assertThat(finishFirstCopy.await(30, TimeUnit.SECONDS)).isTrue();
        }));

        publishEvent("E-requeued", "copy 1");
        assertThat(firstCopyInside.await(30, TimeUnit.SECONDS)).isTrue();
        publishEvent("E-requeued", "copy 2");
        await().atMost(SETTLE_TIMEOUT).until(() -> outcomeCount(DeliveryOutcome.IN_FLIGHT_REQUEUED) >= 1);

        assertThat(outcomeCount(DeliveryOutcome.DUPLICATE)).as("never acknowledged while in progress").isZero();
        assertThat(runs.startsOf("E-requeued")).isEqualTo(1);
        finishFirstCopy.countDown();

        await().atMost(SETTLE_TIMEOUT).until(() -> outcomeCount(DeliveryOutcome.DUPLICATE) == 1);
        awaitDrained();
        assertThat(runs.startsOf("E-requeued")).isEqualTo(1);
        assertThat(deadLetterCount()).isZero();
        assertThat(stateOf("E-requeued")).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldRejectToDeadLetterWithoutRunningWhenIdIsMissingOrBlank() throws Exception {
        startConsumers(1, deduplicator(settings().build()), counting((id, body) -> { }));

        publish(Map.of(), "no id");
        publish(Map.of(HEADER, ""), "empty id");
        publish(Map.of(HEADER, "   "), "blank id");

        await().atMost(SETTLE_TIMEOUT).until(() -> deadLetterCount() == 3);
        awaitDrained();
        assertThat(runs.totalStarts()).isZero();
        assertThat(store.claimCalls()).as("nothing is written to the store").isZero();
        assertThat(outcomeCount(DeliveryOutcome.REJECTED_ID)).isEqualTo(3);
    }

    @Test
    void shouldHandleEachIdExactlyOnceWhenManyConsumersReceiveCopies() throws Exception {
        int ids = 1_000;
        startConsumers(4, deduplicator(settings().build()), counting((id, body) -> {
            if (id.hashCode() % 20 == 0 && runs.startsOf(id) == 1) {
                throw new IllegalStateException("first attempt of " + id + " fails");
            }
        }));

        List<String> published = new ArrayList<>();
        for (int i = 0; i < ids; i++) {
            String id = "E-" + i;
            int copies = 2 + i % 2;
            for (int copy = 0; copy < copies; copy++) {
                publishEvent(id, "payload " + i);
            }
            published.add(id);
        }

        await().atMost(Duration.ofMinutes(3)).until(() -> runs.succeededIds().size() == ids);
        awaitDrained();
        assertThat(runs.successCounts()).hasSize(ids).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
        assertThat(runs.succeededIds()).containsExactlyInAnyOrderElementsOf(published);
        assertThat(deadLetterCount()).isZero();
        assertThat(published).allSatisfy(id -> assertThat(stateOf(id)).isEqualTo(ClaimState.COMPLETED));
    }
}
