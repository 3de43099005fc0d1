package io.github.listenerdedup.demo;

import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.rabbit.RabbitDeduplication;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.ConditionalRejectingErrorHandler;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.util.ErrorHandler;

/**
 * Consumers of the demo's RabbitMQ queue: a {@link SimpleMessageListenerContainer} in AUTO acknowledge mode with
 * deduplication applied, as a user would set it up. A failing handler nacks the delivery and the broker requeues
 * it; a rejected one goes to the queue's dead-letter exchange.
 */
public final class RabbitConsumers {

    private static final Logger log = LoggerFactory.getLogger(RabbitConsumers.class);

    private final SimpleMessageListenerContainer container;

    /**
     * Configures the container and starts it.
     *
     * @param connectionFactory where to connect
     * @param queueName         the queue
     * @param consumers         how many concurrent consumers
     * @param deduplicator      the deduplicator to apply
     * @param handler           the business handler
     */
    public RabbitConsumers(ConnectionFactory connectionFactory, String queueName, int consumers,
            Deduplicator deduplicator, DemoHandler handler) {
        container = new SimpleMessageListenerContainer(connectionFactory);
        container.setBeanName("demo-consumer");
        container.setQueueNames(queueName);
        container.setAcknowledgeMode(AcknowledgeMode.AUTO);
        container.setConcurrentConsumers(consumers);
        container.setPrefetchCount(1);
        container.setErrorHandler(errorHandler());
        container.setMessageListener(listener(handler));
        RabbitDeduplication.applyTo(container, deduplicator);
        container.afterPropertiesSet();
        container.start();
    }

    /** Stops the consumers, letting running handlers finish and settle their delivery. */
    public void stop() {
        container.stop();
        container.destroy();
    }

    private static MessageListener listener(DemoHandler handler) {
        return message -> handler.handle(eventId(message), new String(message.getBody(), StandardCharsets.UTF_8));
    }

    private static String eventId(Message message) {
        Object value = message.getMessageProperties().getHeader(DemoMessaging.EVENT_ID_HEADER);
        return value == null ? null : value.toString();
    }

    private static ErrorHandler errorHandler() {
        ErrorHandler standard = new ConditionalRejectingErrorHandler();
        return failure -> {
            if (DemoHandler.isSimulatedFailure(failure)) {
                log.debug("Nacked after a handler failure: {}", failure.toString());
            } else {
                standard.handleError(failure);
            }
        };
    }
}
