package io.github.listenerdedup.demo;

import io.github.listenerdedup.core.Deduplicator;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The demo on a running RabbitMQ: its own queue with a dead-letter exchange, consumers in AUTO acknowledge mode,
 * a prefetch of one so that every consumer gets work, and publisher confirms. Everything it declared is deleted at
 * the end.
 */
public final class RabbitMessaging implements DemoMessaging {

    private static final Logger log = LoggerFactory.getLogger(RabbitMessaging.class);

    private final String displayUrl;
    private final String runId;
    private final CachingConnectionFactory connectionFactory;
    private final RabbitQueues queues;
    private RabbitConsumers consumers;

    private RabbitMessaging(String brokerUrl, String runId) {
        this.displayUrl = withoutPassword(brokerUrl);
        this.runId = runId;
        this.connectionFactory = new CachingConnectionFactory(URI.create(brokerUrl));
        connectionFactory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.SIMPLE);
        this.queues = new RabbitQueues(new RabbitAdmin(connectionFactory), runId);
    }

    /**
     * Connects and declares the run's queues.
     *
     * @param brokerUrl the broker's AMQP URI
     * @param runId     names the queues
     * @return the messaging
     * @throws DemoSetupException when the broker does not answer or refuses the declarations
     */
    public static RabbitMessaging connect(String brokerUrl, String runId) throws DemoSetupException {
        RabbitMessaging messaging = new RabbitMessaging(brokerUrl, runId);
        try {
            messaging.queues.declare();
            return messaging;
        } catch (AmqpException | IllegalArgumentException e) {
            messaging.connectionFactory.destroy();
            throw new DemoSetupException("RabbitMQ cannot be used at " + messaging.displayUrl + " (" + rootMessage(e)
                    + "): start it with 'docker compose -f docker/compose.yaml up -d rabbitmq', or give "
                    + "--broker-url");
        }
    }

    @Override
    public String describe() {
        return "RabbitMQ at " + displayUrl + ", queue " + queues.queueName() + " (dead letters to "
                + queues.deadLetterQueueName() + ")";
    }

    @Override
    public void startConsumers(int count, Deduplicator deduplicator, DemoHandler handler) {
        consumers = new RabbitConsumers(connectionFactory, queues.queueName(), count, deduplicator, handler);
    }

    @Override
    public void publish(List<PlannedDelivery> deliveries) {
        new RabbitPublisher(new RabbitTemplate(connectionFactory), queues.queueName(), runId).publish(deliveries);
    }

    @Override
    public void stopConsumers() {
        if (consumers != null) {
            consumers.stop();
            consumers = null;
        }
    }

    @Override
    public QueueCounts queueCounts() {
        return new QueueCounts(queues.messageCount(queues.queueName()),
                queues.messageCount(queues.deadLetterQueueName()));
    }

    @Override
    public void close() {
        stopConsumers();
        try {
            queues.delete();
        } catch (AmqpException e) {
            log.warn("Could not delete the queues of {}: {}", queues.queueName(), e.toString());
        }
        connectionFactory.destroy();
    }

    private static String withoutPassword(String url) {
        return url.replaceFirst("^(amqps?://[^:@/]+):[^@/]*@", "$1:***@");
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
