package io.github.listenerdedup.it.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.CapturedLogs;
import io.github.listenerdedup.core.ClaimResult;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.it.rabbit.RabbitTestBroker.TestQueue;
import io.github.listenerdedup.rabbit.DeduplicatingAdvice;
import io.github.listenerdedup.rabbit.RabbitDeduplication;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * Poison messages. C16 on a quorum queue: each failure releases the claim and nacks that one delivery, the broker's
 * delivery limit dead-letters the message, and a replay from the dead-letter queue that still carries the old
 * delivery count runs once. On a classic queue, which has no delivery limit, {@code max-attempts} dead-letters the
 * message and removes its key so that a replay starts afresh. An in-flight duplicate on a quorum queue is waited
 * out in the consumer, so it spends none of the delivery limit.
 */
class RabbitPoisonMessageIT extends RabbitCaseSupport {

    private static final String HEADER = DedupSettings.DEFAULT_HEADER_NAME;
    private static final String POISON = "E16p";
    private static final List<String> GOOD = List.of("E16a", "E16b", "E16c", "E16d");
    private static final int DELIVERY_LIMIT = 3;

    private final AtomicBoolean fixed = new AtomicBoolean();

    @Test
    void shouldDeadLetterPoisonMessageAloneOnQuorumQueueAndRunItOnceWhenReplayed() {
        TestQueue queue = broker.declareQuorumQueue("c16", DELIVERY_LIMIT);
        start(queue, 1, settings().build(), 5);

        String warnings = CapturedLogs.during(DeduplicatingAdvice.class, () -> {
            broker.publish(queue, Map.of(HEADER, POISON), POISON);
            GOOD.forEach(id -> broker.publish(queue, Map.of(HEADER, id), id));
            await().atMost(SETTLE_TIMEOUT).until(() -> broker.deadLetterCount(queue) == 1);
            await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        });

        int failures = runs.startsOf(POISON);
        assertThat(failures).as("deliveries before the broker dead-letters").isEqualTo(DELIVERY_LIMIT + 1);
        assertThat(GOOD).allSatisfy(id -> assertThat(runs.successesOf(id)).isEqualTo(1));
        assertThat(stateOf(POISON)).isEqualTo(ClaimState.RELEASED);
        assertThat(store.releases()).isEqualTo(failures);
        assertThat(failureLines(warnings)).hasSize(failures)
                .allSatisfy(line -> assertThat(line).contains("on event " + POISON))
                .anySatisfy(line -> assertThat(line).contains("(first delivery)"))
                .anySatisfy(line -> assertThat(line).contains("(x-delivery-count " + DELIVERY_LIMIT + ")"));

        fixed.set(true);
        List<Map<String, Object>> replayed = broker.replayDeadLetters(queue);

        assertThat(replayed).singleElement().satisfies(headers -> assertThat(headers).containsKey("x-death"));
        await().atMost(SETTLE_TIMEOUT).until(() -> runs.successesOf(POISON) == 1);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(runs.startsOf(POISON)).isEqualTo(failures + 1);
        assertThat(stateOf(POISON)).isEqualTo(ClaimState.COMPLETED);
        assertThat(broker.deadLetterCount(queue)).isZero();
    }

    @Test
    void shouldDeadLetterAndRemoveKeyWhenFailuresReachMaxAttemptsOnClassicQueue() {
        TestQueue queue = broker.declareQueue("max-attempts");
        start(queue, 1, settings().maxAttempts(3).build(), RabbitTestBroker.PREFETCH);

        String warnings = CapturedLogs.during(DeduplicatingAdvice.class, () -> {
            broker.publish(queue, Map.of(HEADER, POISON), POISON);
            await().atMost(SETTLE_TIMEOUT).until(() -> broker.deadLetterCount(queue) == 1);
            await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        });

        assertThat(runs.startsOf(POISON)).isEqualTo(3);
        assertThat(outcomeCount(DeliveryOutcome.RELEASED)).isEqualTo(2);
        assertThat(outcomeCount(DeliveryOutcome.MAX_ATTEMPTS)).isEqualTo(1);
        assertThat(stateOf(POISON)).isEqualTo(ClaimState.ABSENT);
        assertThat(failureLines(warnings)).hasSize(3)
                .anySatisfy(line -> assertThat(line).contains("(first delivery)"))
                .anySatisfy(line -> assertThat(line).contains("(redelivered)").contains("max-attempts"));

        fixed.set(true);
        broker.replayDeadLetters(queue);

        await().atMost(SETTLE_TIMEOUT).until(() -> runs.successesOf(POISON) == 1);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(store.inspect(settings().build().keyFor(POISON)).attempts()).as("a replay starts afresh")
                .isEqualTo(1);
        assertThat(stateOf(POISON)).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldWaitOutInFlightDuplicateInConsumerWithoutSpendingDeliveryLimitOnQuorumQueue() throws Exception {
        TestQueue queue = broker.declareQuorumQueue("in-flight", 1);
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch finishFirst = new CountDownLatch(1);
        SimpleMessageListenerContainer container = broker.simpleContainer(queue, 2);
        container.setPrefetchCount(1);
        container.setMessageListener(message -> {
            runs.started(bodyOf(message));
            firstInside.countDown();
            awaitLatch(finishFirst);
            runs.succeeded(bodyOf(message));
        });
        RabbitDeduplication.applyTo(container, deduplicator(settings().inFlightWait(Duration.ofSeconds(20)).build()));
        container.start();
        broker.awaitConsumers(queue, 2);

        broker.publish(queue, Map.of(HEADER, "E-held"), "E-held");
        assertThat(firstInside.await(30, TimeUnit.SECONDS)).isTrue();
        broker.publish(queue, Map.of(HEADER, "E-held"), "E-held");
        await().atMost(SETTLE_TIMEOUT).until(() -> store.claimsAnswered(ClaimResult.Status.IN_PROGRESS) >= 1);
        finishFirst.countDown();

        await().atMost(SETTLE_TIMEOUT).until(() -> outcomeCount(DeliveryOutcome.DUPLICATE) == 1);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(outcomeCount(DeliveryOutcome.IN_FLIGHT_REQUEUED)).isZero();
        assertThat(runs.startsOf("E-held")).isEqualTo(1);
        assertThat(broker.deadLetterCount(queue)).isZero();
    }

    private void start(TestQueue queue, int consumers, DedupSettings settings, int prefetch) {
        SimpleMessageListenerContainer container = broker.simpleContainer(queue, consumers);
        container.setPrefetchCount(prefetch);
        container.setMessageListener(message -> {
            String eventId = bodyOf(message);
            runs.started(eventId);
            if (eventId.equals(POISON) && !fixed.get()) {
                throw new IllegalStateException("the handler cannot take " + eventId + " yet");
            }
            runs.succeeded(eventId);
        });
        RabbitDeduplication.applyTo(container, deduplicator(settings));
        container.start();
        broker.awaitConsumers(queue, consumers);
    }

    private static List<String> failureLines(String logs) {
        return Arrays.stream(logs.split("\n")).filter(line -> line.contains("Handler failed on event")).toList();
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
