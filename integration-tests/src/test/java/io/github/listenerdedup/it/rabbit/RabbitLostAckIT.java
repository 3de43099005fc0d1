package io.github.listenerdedup.it.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.it.rabbit.RabbitTestBroker.TestQueue;
import io.github.listenerdedup.rabbit.RabbitDeduplication;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

/**
 * C04: the handler succeeds, but the consumer's connection is closed from the client side before the
 * acknowledgement reaches the broker, so the event comes back redelivered. The connection is closed by the outcome
 * listener, which hears the outcome once the claim is completed and before the delivery is settled. The claim is
 * {@code COMPLETED} whether or not the acknowledgement went through, and the redelivery is acknowledged without
 * running the handler.
 */
class RabbitLostAckIT extends RabbitCaseSupport {

    private static final String EVENT = "E4";

    @ParameterizedTest(name = "acknowledge mode {0}")
    @EnumSource(value = AcknowledgeMode.class, names = {"AUTO", "MANUAL"})
    void shouldAckRedeliveryWithoutRunningWhenAckIsLostAfterHandlerSucceeded(AcknowledgeMode mode) {
        TestQueue queue = broker.declareQueue("c04");
        CachingConnectionFactory consumerConnection = broker.newConnectionFactory();
        AtomicBoolean closeOnce = new AtomicBoolean(true);
        List<ClaimState> statesWhenClosed = new CopyOnWriteArrayList<>();
        List<Boolean> redeliveredFlags = new CopyOnWriteArrayList<>();
        List<DeliveryOutcome> outcomes = new CopyOnWriteArrayList<>();
        Deduplicator deduplicator = new Deduplicator(settings().build(), store, (group, id, outcome) -> {
            outcomes.add(outcome);
            if (outcome == DeliveryOutcome.PROCESSED && closeOnce.getAndSet(false)) {
                statesWhenClosed.add(stateOf(EVENT));
                consumerConnection.resetConnection();
            }
        });
        SimpleMessageListenerContainer container = broker.simpleContainer(queue, 1, consumerConnection);
        container.setRecoveryInterval(100);
        container.setAcknowledgeMode(mode);
        container.setMessageListener((ChannelAwareMessageListener) (message, channel) -> {
            redeliveredFlags.add(message.getMessageProperties().getRedelivered());
            countingListener().onMessage(message);
            if (mode == AcknowledgeMode.MANUAL) {
                channel.basicAck(message.getMessageProperties().getDeliveryTag(), false);
            }
        });
        RabbitDeduplication.applyTo(container, deduplicator);
        container.start();

        broker.publish(queue, Map.of(DedupSettings.DEFAULT_HEADER_NAME, EVENT), EVENT);

        await().atMost(SETTLE_TIMEOUT).until(() -> outcomes.contains(DeliveryOutcome.DUPLICATE));
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(outcomes).containsExactly(DeliveryOutcome.PROCESSED, DeliveryOutcome.DUPLICATE);
        assertThat(statesWhenClosed).containsExactly(ClaimState.COMPLETED);
        assertThat(runs.startsOf(EVENT)).isEqualTo(1);
        assertThat(redeliveredFlags).containsExactly(false);
        assertThat(stateOf(EVENT)).isEqualTo(ClaimState.COMPLETED);
        assertThat(broker.deadLetterCount(queue)).isZero();
    }
}
