package io.github.listenerdedup.it.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.core.FingerprintMode;
import io.github.listenerdedup.it.rabbit.RabbitTestBroker.TestQueue;
import io.github.listenerdedup.rabbit.RabbitDeduplication;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * Payload fingerprints on the real broker: an id completed with one body and delivered again with another (a
 * producer that reused an id) is rejected to the dead-letter queue without running; the same body again is a plain
 * duplicate.
 */
class RabbitConflictIT extends RabbitCaseSupport {

    private static final String HEADER = DedupSettings.DEFAULT_HEADER_NAME;

    @Test
    void shouldDeadLetterDeliveryWhoseBodyDiffersFromCompletedOneAndAckSameBody() {
        TestQueue queue = broker.declareQueue("conflict");
        List<String> bodies = new CopyOnWriteArrayList<>();
        SimpleMessageListenerContainer container = broker.simpleContainer(queue, 1);
        container.setMessageListener(message -> bodies.add(bodyOf(message)));
        RabbitDeduplication.applyTo(container, deduplicator(settings().fingerprint(FingerprintMode.SHA_256).build()));
        container.start();

        broker.publish(queue, Map.of(HEADER, "E-order"), "order 1: one book");
        await().atMost(SETTLE_TIMEOUT).until(() -> stateOf("E-order") == ClaimState.COMPLETED);
        broker.publish(queue, Map.of(HEADER, "E-order"), "order 1: two books");
        broker.publish(queue, Map.of(HEADER, "E-order"), "order 1: one book");

        await().atMost(SETTLE_TIMEOUT).until(() -> outcomeCount(DeliveryOutcome.DUPLICATE) == 1);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(bodies).containsExactly("order 1: one book");
        assertThat(outcomeCount(DeliveryOutcome.CONFLICT)).isEqualTo(1);
        assertThat(broker.deadLetterCount(queue)).isEqualTo(1);
    }
}
