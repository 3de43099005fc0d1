package io.github.listenerdedup.it.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.it.rabbit.RabbitTestBroker.TestQueue;
import io.github.listenerdedup.rabbit.RabbitDeduplication;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.ConditionalRejectingErrorHandler;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.amqp.support.converter.MessageConversionException;

/**
 * MANUAL acknowledgement on the real broker: the advice settles what it decides, the listener owns the
 * acknowledgement of a first attempt, a listener that nacks or rejects its own delivery gets its claim released,
 * and every delivery tag is settled exactly once, whatever the listener and the container's error handler do. Every
 * test ends by checking that the broker closed no channel (an unknown delivery tag would close one).
 */
class RabbitManualAckIT extends RabbitCaseSupport {

    private static final String HEADER = DedupSettings.DEFAULT_HEADER_NAME;

    @Test
    void shouldCompleteAndSendListenersAckWhenListenerAcksAndAckDuplicateItself() {
        TestQueue queue = broker.declareQueue("manual-ack");
        start(queue, (message, channel) -> {
            countingListener().onMessage(message);
            channel.basicAck(message.getMessageProperties().getDeliveryTag(), false);
        });

        publishTwice(queue, "E-ack");

        await().atMost(SETTLE_TIMEOUT).until(() -> outcomeCount(DeliveryOutcome.DUPLICATE) == 1);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(runs.startsOf("E-ack")).isEqualTo(1);
        assertThat(stateOf("E-ack")).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldReleaseAndRunRedeliveryWhenListenerNacksItsOwnDeliveryWithoutThrowing() {
        TestQueue queue = broker.declareQueue("manual-nack");
        List<ClaimState> statesOnRedelivery = new CopyOnWriteArrayList<>();
        start(queue, (message, channel) -> {
            long tag = message.getMessageProperties().getDeliveryTag();
            if (runs.started(bodyOf(message)) == 1) {
                channel.basicNack(tag, false, true);
                return;
            }
            statesOnRedelivery.add(stateOf(bodyOf(message)));
            runs.succeeded(bodyOf(message));
            channel.basicAck(tag, false);
        });

        broker.publish(queue, Map.of(HEADER, "E-nack"), "E-nack");

        await().atMost(SETTLE_TIMEOUT).until(() -> runs.successesOf("E-nack") == 1);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(runs.startsOf("E-nack")).isEqualTo(2);
        assertThat(store.releases()).isEqualTo(1);
        assertThat(statesOnRedelivery).containsExactly(ClaimState.IN_PROGRESS);
        assertThat(stateOf("E-nack")).isEqualTo(ClaimState.COMPLETED);
        assertThat(broker.deadLetterCount(queue)).isZero();
    }

    @Test
    void shouldReleaseAndDeadLetterWhenListenerRejectsItsOwnDelivery() {
        TestQueue queue = broker.declareQueue("manual-reject");
        start(queue, (message, channel) -> {
            runs.started(bodyOf(message));
            channel.basicReject(message.getMessageProperties().getDeliveryTag(), false);
        });

        broker.publish(queue, Map.of(HEADER, "E-reject"), "E-reject");

        await().atMost(SETTLE_TIMEOUT).until(() -> broker.deadLetterCount(queue) == 1);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(runs.startsOf("E-reject")).isEqualTo(1);
        assertThat(stateOf("E-reject")).isEqualTo(ClaimState.RELEASED);
    }

    @ParameterizedTest(name = "error handler rejects every failure: {0}")
    @ValueSource(booleans = {false, true})
    void shouldSendOnlyListenersAckWhenListenerThrowsAfterAcking(boolean rejectingErrorHandler) {
        TestQueue queue = broker.declareQueue("manual-ack-then-throw");
        AbstractMessageListenerContainer container = container(queue, (message, channel) -> {
            runs.started(bodyOf(message));
            channel.basicAck(message.getMessageProperties().getDeliveryTag(), false);
            if (bodyOf(message).equals("E-throws")) {
                throw new MessageConversionException("the listener fails after acknowledging");
            }
            runs.succeeded(bodyOf(message));
        });
        container.setErrorHandler(rejectingErrorHandler
                ? error -> {
                    throw new AmqpRejectAndDontRequeueException("every failure is rejected", true, error);
                }
                : new ConditionalRejectingErrorHandler());
        startInstalled(container, queue);

        broker.publish(queue, Map.of(HEADER, "E-throws"), "E-throws");
        broker.publish(queue, Map.of(HEADER, "E-after"), "E-after");

        await().atMost(SETTLE_TIMEOUT).until(() -> runs.successesOf("E-after") == 1);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(runs.startsOf("E-throws")).isEqualTo(1);
        assertThat(stateOf("E-throws")).isEqualTo(ClaimState.RELEASED);
        assertThat(broker.deadLetterCount(queue)).isZero();
    }

    @Test
    void shouldNackOnceWithRequeueWhenListenerThrowsWithoutSettling() {
        TestQueue queue = broker.declareQueue("manual-throws");
        start(queue, (message, channel) -> {
            if (runs.started(bodyOf(message)) == 1) {
                throw new IllegalStateException("the first attempt fails");
            }
            runs.succeeded(bodyOf(message));
            channel.basicAck(message.getMessageProperties().getDeliveryTag(), false);
        });

        broker.publish(queue, Map.of(HEADER, "E-retry"), "E-retry");

        await().atMost(SETTLE_TIMEOUT).until(() -> runs.successesOf("E-retry") == 1);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(runs.startsOf("E-retry")).isEqualTo(2);
        assertThat(stateOf("E-retry")).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldRejectOnceWhenErrorHandlerFindsListenersFailureFatal() {
        TestQueue queue = broker.declareQueue("manual-fatal");
        start(queue, (message, channel) -> {
            runs.started(bodyOf(message));
            throw new MessageConversionException("the body cannot be read");
        });

        broker.publish(queue, Map.of(HEADER, "E-fatal"), "E-fatal");

        await().atMost(SETTLE_TIMEOUT).until(() -> broker.deadLetterCount(queue) == 1);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(runs.startsOf("E-fatal")).isEqualTo(1);
        assertThat(stateOf("E-fatal")).isEqualTo(ClaimState.RELEASED);
    }

    @Test
    void shouldReleaseAndLeaveDeliveryToContainersErrorPolicyWhenListenerThrowsError() throws Exception {
        TestQueue queue = broker.declareQueue("manual-error");
        CountDownLatch errorSeen = new CountDownLatch(1);
        List<ClaimState> statesWhenThrown = new CopyOnWriteArrayList<>();
        DirectMessageListenerContainer container = broker.directContainer(queue, 1);
        container.setMonitorInterval(100);
        container.setFailedDeclarationRetryInterval(100);
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        container.setJavaLangErrorHandler(error -> {
            statesWhenThrown.add(stateOf("E-error"));
            errorSeen.countDown();
        });
        container.setMessageListener((ChannelAwareMessageListener) (message, channel) -> {
            if (runs.started(bodyOf(message)) == 1) {
                throw new AssertionError("the handler fails with an Error");
            }
            runs.succeeded(bodyOf(message));
            channel.basicAck(message.getMessageProperties().getDeliveryTag(), false);
        });
        startInstalled(container, queue);

        broker.publish(queue, Map.of(HEADER, "E-error"), "E-error");

        assertThat(errorSeen.await(30, TimeUnit.SECONDS)).isTrue();
        await().atMost(SETTLE_TIMEOUT).until(() -> runs.successesOf("E-error") == 1);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(statesWhenThrown).containsExactly(ClaimState.RELEASED);
        assertThat(runs.startsOf("E-error")).isEqualTo(2);
        assertThat(stateOf("E-error")).isEqualTo(ClaimState.COMPLETED);
    }

    private void start(TestQueue queue, ChannelAwareMessageListener listener) {
        startInstalled(container(queue, listener), queue);
    }

    private AbstractMessageListenerContainer container(TestQueue queue, ChannelAwareMessageListener listener) {
        AbstractMessageListenerContainer container = broker.simpleContainer(queue, 1);
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        container.setMessageListener(listener);
        return container;
    }

    private void startInstalled(AbstractMessageListenerContainer container, TestQueue queue) {
        RabbitDeduplication.applyTo(container, deduplicator(settings().build()));
        container.start();
        broker.awaitConsumers(queue, 1);
    }

    private void publishTwice(TestQueue queue, String eventId) {
        broker.publish(queue, Map.of(HEADER, eventId), eventId);
        broker.publish(queue, Map.of(HEADER, eventId), eventId);
    }
}
