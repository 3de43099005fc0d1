package io.github.listenerdedup.it.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.ClaimResult;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.ClaimStore;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.core.ForwardingClaimStore;
import io.github.listenerdedup.core.OwnerToken;
import io.github.listenerdedup.jms.DeduplicatingMessageListener;
import io.github.listenerdedup.jms.JmsDeduplication;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jms.listener.DefaultMessageListenerContainer;
import org.springframework.jms.listener.SessionAwareMessageListener;

/**
 * Duplicates in flight on ActiveMQ: a copy whose id another consumer is handling is held in the consumer with
 * backoff and never acknowledged while the claim is in progress; past the in-flight wait it is rolled back (or
 * recovered), which spends one of {@code maximumRedeliveries}, and acknowledged as a duplicate once the first copy
 * completes. Against a consumer that died holding the claim, the redeliveries must outlast the lease:
 * {@code (maximumRedeliveries + 1) x inFlightWait} longer than the lease lets the event run once the lease ran out;
 * fewer dead-letter it unhandled. A live handler that outlives its lease keeps its claim by renewal, so the copy on
 * another consumer never runs.
 */
class JmsInFlightIT extends ActiveMqTestBase {

    /** Renewals come every third of a lease of 1 s: the seventh comes after more than 2 s. */
    private static final int RENEWALS_PAST_TWO_SECONDS = 7;

    private final List<Integer> deliveryCounts = new CopyOnWriteArrayList<>();
    private final String queue = EmbeddedActiveMq.uniqueQueue("in-flight");
    private final String group = "in-flight-" + UUID.randomUUID();
    private final CountDownLatch firstCopyInside = new CountDownLatch(1);
    private final CountDownLatch finishFirstCopy = new CountDownLatch(1);

    @AfterEach
    void releaseHandlers() {
        finishFirstCopy.countDown();
    }

    @ParameterizedTest
    @EnumSource(value = SessionMode.class, names = {"TRANSACTED", "CLIENT_ACKNOWLEDGE"})
    void shouldHoldWithBackoffAndNeverAcknowledgeWhileFirstCopyRuns(SessionMode mode) throws Exception {
        start(mode, 2, settings().inFlightWait(Duration.ofSeconds(20)), EmbeddedActiveMq.MAXIMUM_REDELIVERIES);

        publishCopies();
        await().atMost(SETTLE).until(() -> store.claimsAnswered(ClaimResult.Status.IN_PROGRESS) >= 3);

        assertThat(activeMq.isDrained(queue)).as("the held copy is not acknowledged").isFalse();
        assertThat(outcomes.of(DeliveryOutcome.IN_FLIGHT_REQUEUED)).isZero();
        finishFirstCopy.countDown();
        await().atMost(SETTLE).until(() -> outcomes.of(DeliveryOutcome.DUPLICATE) == 1);
        awaitDrained(queue);
        assertThat(deliveryCounts).as("neither copy was redelivered").containsExactly(1, 1);
        assertThat(runs.startsOf("E-in-flight")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = SessionMode.class, names = {"TRANSACTED", "CLIENT_ACKNOWLEDGE"})
    void shouldRedeliverHeldCopyAfterWaitAndSkipItOnceFirstCopyCompletes(SessionMode mode) throws Exception {
        start(mode, 2, settings().inFlightWait(Duration.ofMillis(200)), EmbeddedActiveMq.MAXIMUM_REDELIVERIES);

        publishCopies();
        await().atMost(SETTLE).until(() -> outcomes.of(DeliveryOutcome.IN_FLIGHT_REQUEUED) >= 2);

        assertThat(activeMq.isDrained(queue)).isFalse();
        assertThat(stateOf("E-in-flight")).isEqualTo(ClaimState.IN_PROGRESS);
        finishFirstCopy.countDown();
        await().atMost(SETTLE).until(() -> outcomes.of(DeliveryOutcome.DUPLICATE) == 1);
        awaitDrained(queue);
        int requeues = outcomes.of(DeliveryOutcome.IN_FLIGHT_REQUEUED);
        assertThat(deliveryCounts).as("each requeue spent one redelivery").hasSize(requeues + 2)
                .contains(requeues + 1);
        assertThat(runs.startsOf("E-in-flight")).isEqualTo(1);
        assertThat(activeMq.deadLettersFrom(queue)).isEmpty();
        assertThat(stateOf("E-in-flight")).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldRunOnceLeaseOfDeadOwnerRunsOutWhenRedeliveriesOutlastIt() throws Exception {
        claimAsDeadConsumer("E-orphan", Duration.ofSeconds(2));
        start(SessionMode.TRANSACTED, 1, settings().inFlightWait(Duration.ofMillis(500)), 5);

        activeMq.publish(queue, Map.of(HEADER, "E-orphan"), "body");

        await().atMost(SETTLE).until(() -> runs.successesOf("E-orphan") == 1);
        awaitDrained(queue);
        assertThat(outcomes.of(DeliveryOutcome.IN_FLIGHT_REQUEUED)).isPositive();
        assertThat(activeMq.deadLettersFrom(queue)).isEmpty();
        assertThat(stateOf("E-orphan")).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldDeadLetterUnhandledWhenRedeliveriesRunOutBeforeLeaseOfDeadOwner() throws Exception {
        claimAsDeadConsumer("E-orphan", Duration.ofSeconds(10));
        start(SessionMode.TRANSACTED, 1, settings().inFlightWait(Duration.ofMillis(200)), 1);

        activeMq.publish(queue, Map.of(HEADER, "E-orphan"), "body");

        await().atMost(SETTLE).until(() -> activeMq.deadLettersFrom(queue).size() == 1);
        awaitDrained(queue);
        assertThat(outcomes.of(DeliveryOutcome.IN_FLIGHT_REQUEUED)).isEqualTo(2);
        assertThat(runs.totalStarts()).isZero();
        assertThat(stateOf("E-orphan")).isEqualTo(ClaimState.IN_PROGRESS);
    }

    @Test
    void shouldNeverRunSecondCopyWhileRenewalKeepsClaimOfHandlerThatOutlivesItsLease() throws Exception {
        AtomicInteger renewals = new AtomicInteger();
        ClaimStore countingRenewals = new ForwardingClaimStore(store) {
            @Override
            public boolean renew(ClaimKey key, OwnerToken token, Duration lease) {
                renewals.incrementAndGet();
                return super.renew(key, token, lease);
            }
        };
        DedupSettings.Builder settings = settings().lease(Duration.ofSeconds(1)).leaseRenewal(true)
                .inFlightWait(Duration.ofMillis(500));
        start(SessionMode.TRANSACTED, 2, new Deduplicator(settings.build(), countingRenewals, outcomes), 20);

        publishCopies();
        await().atMost(SETTLE).until(() -> renewals.get() >= RENEWALS_PAST_TWO_SECONDS
                && outcomes.of(DeliveryOutcome.IN_FLIGHT_REQUEUED) >= 2);

        assertThat(runs.startsOf("E-in-flight")).as("the second copy was held and rolled back, never run")
                .isEqualTo(1);
        assertThat(stateOf("E-in-flight")).isEqualTo(ClaimState.IN_PROGRESS);
        finishFirstCopy.countDown();
        await().atMost(SETTLE).until(() -> outcomes.of(DeliveryOutcome.DUPLICATE) == 1);
        awaitDrained(queue);
        assertThat(runs.startsOf("E-in-flight")).isEqualTo(1);
        assertThat(outcomes.of(DeliveryOutcome.LEASE_LOST)).isZero();
        assertThat(stateOf("E-in-flight")).isEqualTo(ClaimState.COMPLETED);
        assertThat(activeMq.deadLettersFrom(queue)).isEmpty();
    }

    private void start(SessionMode mode, int consumers, DedupSettings.Builder settings, int maximumRedeliveries) {
        start(mode, consumers, new Deduplicator(settings.build(), store, outcomes), maximumRedeliveries);
    }

    private void start(SessionMode mode, int consumers, Deduplicator deduplicator, int maximumRedeliveries) {
        DefaultMessageListenerContainer container = activeMq.container(queue, consumers, blockingFirstCopy(), mode);
        container.setConnectionFactory(activeMq.connectionFactory(maximumRedeliveries));
        DeduplicatingMessageListener decorator = JmsDeduplication.applyTo(container, deduplicator);
        container.setMessageListener(recordingDeliveryCounts(decorator));
        activeMq.start(container, consumers);
    }

    private void publishCopies() throws Exception {
        activeMq.publish(queue, Map.of(HEADER, "E-in-flight"), "copy 1");
        assertThat(firstCopyInside.await(SETTLE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        activeMq.publish(queue, Map.of(HEADER, "E-in-flight"), "copy 2");
    }

    /** Leaves a claim as a consumer that died in its handler would, and lets this test's handler run freely. */
    private void claimAsDeadConsumer(String eventId, Duration lease) {
        finishFirstCopy.countDown();
        DedupSettings settings = settings().build();
        store.claim(settings.keyFor(eventId), OwnerToken.random(), null, lease);
    }

    private DedupSettings.Builder settings() {
        return DedupSettings.builder().group(group).lease(Duration.ofSeconds(10)).retention(Duration.ofMinutes(5));
    }

    private MessageListener blockingFirstCopy() {
        return message -> {
            String id = TestListeners.idOf(message);
            runs.started(id);
            firstCopyInside.countDown();
            try {
                assertThat(finishFirstCopy.await(SETTLE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            runs.succeeded(id);
        };
    }

    /** Records each delivery's count before the deduplicated listener decides it. */
    private SessionAwareMessageListener<Message> recordingDeliveryCounts(DeduplicatingMessageListener decorator) {
        return (message, session) -> {
            deliveryCounts.add(message.getIntProperty("JMSXDeliveryCount"));
            decorator.onMessage(message, session);
        };
    }

    private ClaimState stateOf(String eventId) {
        return store.inspect(settings().build().keyFor(eventId)).state();
    }
}
