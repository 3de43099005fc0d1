package io.github.listenerdedup.it.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.it.rabbit.RabbitTestBroker.TestQueue;
import io.github.listenerdedup.rabbit.DeduplicatingAdvice;
import io.github.listenerdedup.rabbit.RabbitDeduplication;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.batch.SimpleBatchingStrategy;
import org.springframework.amqp.rabbit.core.BatchingRabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * A producer-side batch split by the container shares one delivery, and each fragment carries the first message's
 * headers: with a header id the batch is rejected to the dead-letter queue without claiming anything; with an id
 * resolver that reads the body, each fragment is claimed by its own id.
 */
class RabbitProducerBatchIT extends RabbitCaseSupport {

    private static final List<String> EVENTS = List.of("B1", "B2", "B3");

    private ThreadPoolTaskScheduler scheduler;
    private BatchingRabbitTemplate batchingTemplate;

    @BeforeEach
    void createBatchingTemplate() {
        scheduler = new ThreadPoolTaskScheduler();
        scheduler.initialize();
        batchingTemplate = new BatchingRabbitTemplate(broker.connectionFactory(),
                new SimpleBatchingStrategy(EVENTS.size(), 64 * 1024, 60_000), scheduler);
    }

    @AfterEach
    void stopScheduler() {
        scheduler.shutdown();
    }

    @Test
    void shouldRejectBatchToDeadLetterWithoutClaimingWhenIdComesFromHeader() {
        TestQueue queue = broker.declareQueue("batch-header");
        start(queue, new DeduplicatingAdvice(deduplicator(settings().build())));

        publishBatch(queue);

        await().atMost(SETTLE_TIMEOUT).until(() -> broker.deadLetterCount(queue) == 1);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(runs.totalStarts()).isZero();
        assertThat(store.claimCalls()).isZero();
        assertThat(outcomeCount(DeliveryOutcome.REJECTED_ID)).isEqualTo(1);
    }

    @Test
    void shouldClaimEachFragmentByItsBodyWhenResolverReadsTheBody() {
        TestQueue queue = broker.declareQueue("batch-body");
        start(queue, new DeduplicatingAdvice(deduplicator(settings().build()), RabbitCaseSupport::bodyOf));

        publishBatch(queue);
        await().atMost(SETTLE_TIMEOUT).until(() -> outcomeCount(DeliveryOutcome.PROCESSED) == EVENTS.size());
        publishBatch(queue);

        await().atMost(SETTLE_TIMEOUT).until(() -> outcomeCount(DeliveryOutcome.DUPLICATE) == EVENTS.size());
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(EVENTS).allSatisfy(id -> {
            assertThat(runs.startsOf(id)).isEqualTo(1);
            assertThat(stateOf(id)).isEqualTo(ClaimState.COMPLETED);
        });
        assertThat(broker.deadLetterCount(queue)).isZero();
    }

    private void start(TestQueue queue, DeduplicatingAdvice advice) {
        SimpleMessageListenerContainer container = broker.simpleContainer(queue, 1);
        container.setMessageListener(countingListener());
        RabbitDeduplication.applyTo(container, advice);
        container.start();
    }

    private void publishBatch(TestQueue queue) {
        for (String id : EVENTS) {
            batchingTemplate.send("", queue.name(), MessageBuilder.withBody(id.getBytes(StandardCharsets.UTF_8))
                    .setHeader(DedupSettings.DEFAULT_HEADER_NAME, id)
                    .build());
        }
    }
}
