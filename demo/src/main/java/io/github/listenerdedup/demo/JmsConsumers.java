package io.github.listenerdedup.demo;

import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.jms.JmsDeduplication;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.listener.DefaultMessageListenerContainer;
import org.springframework.jms.listener.SessionAwareMessageListener;

/**
 * Consumers of the demo's JMS queue: a transacted {@link DefaultMessageListenerContainer} with deduplication
 * applied, as a user would set it up. A failing handler rolls the session back and the broker redelivers.
 */
public final class JmsConsumers {

    private static final Logger log = LoggerFactory.getLogger(JmsConsumers.class);
    private static final long RECEIVE_TIMEOUT_MILLIS = 250;

    private final DefaultMessageListenerContainer container = new DefaultMessageListenerContainer();

    /**
     * Configures the container and starts it.
     *
     * @param connectionFactory where to connect
     * @param queueName         the queue
     * @param consumers         how many concurrent consumers
     * @param deduplicator      the deduplicator to apply
     * @param handler           the business handler
     */
    public JmsConsumers(ConnectionFactory connectionFactory, String queueName, int consumers,
            Deduplicator deduplicator, DemoHandler handler) {
        container.setConnectionFactory(connectionFactory);
        container.setDestinationName(queueName);
        container.setSessionTransacted(true);
        container.setConcurrentConsumers(consumers);
        container.setMaxConcurrentConsumers(consumers);
        container.setReceiveTimeout(RECEIVE_TIMEOUT_MILLIS);
        container.setErrorHandler(JmsConsumers::logFailure);
        container.setMessageListener(listener(handler));
        JmsDeduplication.applyTo(container, deduplicator);
        container.afterPropertiesSet();
        container.start();
    }

    /** Stops the consumers, letting running handlers finish and commit. */
    public void stop() {
        container.shutdown();
    }

    private static SessionAwareMessageListener<Message> listener(DemoHandler handler) {
        return (message, session) -> handler.handle(message.getStringProperty(DemoMessaging.EVENT_ID_HEADER),
                ((TextMessage) message).getText());
    }

    private static void logFailure(Throwable failure) {
        if (DemoHandler.isSimulatedFailure(failure)) {
            log.debug("Rolled back after a handler failure: {}", failure.toString());
        } else {
            log.warn("Rolled back after a listener failure", failure);
        }
    }
}
