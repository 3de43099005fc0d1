package io.github.listenerdedup.it.rabbit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.it.BrokerDeliveryContract;
import io.github.listenerdedup.it.rabbit.RabbitTestBroker.TestQueue;
import io.github.listenerdedup.rabbit.RabbitDeduplication;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;

/**
 * The broker delivery contract on RabbitMQ, with deduplication installed on a SimpleMessageListenerContainer in
 * AUTO acknowledge mode and a queue that dead-letters to its own queue.
 */
class RabbitDeliveryContractIT extends BrokerDeliveryContract {

    private RabbitTestBroker broker;
    private TestQueue queue;

    /**
     * The container the contract runs on.
     *
     * @param broker    the test's broker
     * @param queue     the test queue
     * @param consumers how many concurrent consumers
     * @return a container, not started
     */
    protected AbstractMessageListenerContainer createContainer(RabbitTestBroker broker, TestQueue queue,
            int consumers) {
        return broker.simpleContainer(queue, consumers);
    }

    /**
     * The listener the contract's handler runs in: one that lets the container acknowledge.
     *
     * @param handler the contract's handler
     * @return the listener
     */
    protected MessageListener listenerFor(TestHandler handler) {
        return message -> handle(handler, message);
    }

    @BeforeEach
    void declareQueue() {
        broker = new RabbitTestBroker();
        queue = broker.declareQueue("contract");
    }

    @Override
    protected void startConsumers(int consumers, Deduplicator deduplicator, TestHandler handler) {
        AbstractMessageListenerContainer container = createContainer(broker, queue, consumers);
        container.setMessageListener(listenerFor(handler));
        RabbitDeduplication.applyTo(container, deduplicator);
        container.start();
        broker.awaitConsumers(queue, consumers);
    }

    @Override
    protected void publish(Map<String, Object> headers, String body) {
        broker.publish(queue, headers, body);
    }

    @Override
    protected int deadLetterCount() {
        return broker.deadLetterCount(queue);
    }

    @Override
    protected boolean isDrained() {
        return broker.isDrained(queue);
    }

    @Override
    protected void stopConsumers() {
        List<String> channelErrors = broker.channelErrors();
        broker.close();
        assertThat(channelErrors).as("channels the broker closed, such as for an unknown delivery tag").isEmpty();
    }

    protected static void handle(TestHandler handler, Message message) {
        Object id = message.getMessageProperties().getHeaders().get(HEADER);
        try {
            handler.handle(id == null ? null : id.toString(), new String(message.getBody(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
