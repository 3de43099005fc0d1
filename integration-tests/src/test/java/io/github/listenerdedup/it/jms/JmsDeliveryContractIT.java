package io.github.listenerdedup.it.jms;

import io.github.listenerdedup.core.ClaimStore;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.it.BrokerDeliveryContract;
import io.github.listenerdedup.jms.JmsDeduplication;
import io.github.listenerdedup.store.memory.InMemoryClaimStore;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.TextMessage;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

/**
 * The broker delivery contract on ActiveMQ, through a transacted {@link DefaultMessageListenerContainer} whose
 * listener {@link JmsDeduplication} decorates.
 */
class JmsDeliveryContractIT extends BrokerDeliveryContract {

    private static EmbeddedActiveMq activeMq;

    private String queue;

    @BeforeAll
    static void startBroker() throws Exception {
        activeMq = EmbeddedActiveMq.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        activeMq.stop();
    }

    @BeforeEach
    void nameQueue() {
        queue = EmbeddedActiveMq.uniqueQueue("contract");
    }

    @Override
    protected ClaimStore createStore() {
        return new InMemoryClaimStore();
    }

    @Override
    protected void startConsumers(int consumers, Deduplicator deduplicator, TestHandler handler) {
        MessageListener listener = message -> handle(handler, message);
        DefaultMessageListenerContainer container = activeMq.transactedContainer(queue, consumers, listener);
        JmsDeduplication.applyTo(container, deduplicator);
        activeMq.start(container, consumers);
    }

    @Override
    protected void publish(Map<String, Object> headers, String body) throws Exception {
        activeMq.publish(queue, headers, body);
    }

    @Override
    protected int deadLetterCount() throws Exception {
        return activeMq.deadLettersFrom(queue).size();
    }

    @Override
    protected boolean isDrained() throws Exception {
        return activeMq.isDrained(queue);
    }

    @Override
    protected void stopConsumers() {
        activeMq.stopContainers();
    }

    private static void handle(TestHandler handler, Message message) {
        try {
            handler.handle(message.getStringProperty(HEADER), ((TextMessage) message).getText());
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("test handler failed", e);
        }
    }
}
