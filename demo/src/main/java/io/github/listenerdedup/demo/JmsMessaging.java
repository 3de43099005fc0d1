package io.github.listenerdedup.demo;

import io.github.listenerdedup.core.Deduplicator;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.util.Enumeration;
import java.util.List;
import org.apache.activemq.ActiveMQConnection;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.RedeliveryPolicy;
import org.apache.activemq.command.ActiveMQQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo on ActiveMQ Classic, embedded or running elsewhere: its own queue, a transacted listener container,
 * a prefetch of one so that every consumer gets work, and a short redelivery delay. The queue is removed at the
 * end; messages of the run that were dead-lettered stay in {@code ActiveMQ.DLQ} for a look.
 */
public final class JmsMessaging implements DemoMessaging {

    /** The broker's default dead-letter queue. */
    public static final String DEAD_LETTER_QUEUE = "ActiveMQ.DLQ";

    private static final Logger log = LoggerFactory.getLogger(JmsMessaging.class);
    private static final long REDELIVERY_DELAY_MILLIS = 50;
    private static final int MAXIMUM_REDELIVERIES = 10;

    private final String description;
    private final String queueName;
    private final String runId;
    private final ActiveMQConnectionFactory connectionFactory;
    private final AutoCloseable embeddedBroker;
    private final Connection adminConnection;
    private JmsConsumers consumers;

    private JmsMessaging(String description, String brokerUrl, String runId, AutoCloseable embeddedBroker)
            throws JMSException {
        this.description = description;
        this.queueName = "listener-dedup-demo." + runId;
        this.runId = runId;
        this.embeddedBroker = embeddedBroker;
        this.connectionFactory = connectionFactory(brokerUrl);
        this.adminConnection = connectionFactory.createConnection();
        adminConnection.start();
    }

    /**
     * Starts an embedded broker and connects to it.
     *
     * @param runId names the broker and the queue
     * @return the messaging
     * @throws Exception when the broker cannot start
     */
    public static JmsMessaging embedded(String runId) throws Exception {
        EmbeddedActiveMqBroker broker = EmbeddedActiveMqBroker.start("listener-dedup-demo-" + runId);
        try {
            return new JmsMessaging("embedded ActiveMQ at " + broker.connectUrl(), broker.connectUrl(), runId,
                    broker);
        } catch (JMSException | RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /**
     * Connects to a running broker.
     *
     * @param brokerUrl the broker's URL
     * @param runId     names the queue
     * @return the messaging
     * @throws DemoSetupException when the broker does not answer
     */
    public static JmsMessaging external(String brokerUrl, String runId) throws DemoSetupException {
        try {
            return new JmsMessaging("ActiveMQ at " + brokerUrl, brokerUrl, runId, null);
        } catch (JMSException e) {
            throw new DemoSetupException("ActiveMQ does not answer at " + brokerUrl + " (" + e.getMessage() + "): "
                    + "start it with 'docker compose -f docker/compose.yaml up -d activemq', or give --broker-url");
        }
    }

    @Override
    public String describe() {
        return description + ", queue " + queueName;
    }

    @Override
    public void startConsumers(int count, Deduplicator deduplicator, DemoHandler handler) {
        consumers = new JmsConsumers(connectionFactory, queueName, count, deduplicator, handler);
    }

    @Override
    public void publish(List<PlannedDelivery> deliveries) throws JMSException {
        new JmsPublisher(connectionFactory, queueName, runId).publish(deliveries);
    }

    @Override
    public void stopConsumers() {
        if (consumers != null) {
            consumers.stop();
            consumers = null;
        }
    }

    @Override
    public QueueCounts queueCounts() throws JMSException {
        return new QueueCounts(count(queueName, null),
                count(DEAD_LETTER_QUEUE, JmsPublisher.RUN_PROPERTY + " = '" + runId + "'"));
    }

    @Override
    public void close() {
        stopConsumers();
        try {
            ((ActiveMQConnection) adminConnection).destroyDestination(new ActiveMQQueue(queueName));
        } catch (JMSException e) {
            log.warn("Could not remove the queue {}: {}", queueName, e.toString());
        }
        closeQuietly(adminConnection);
        closeQuietly(embeddedBroker);
    }

    private int count(String queue, String selector) throws JMSException {
        try (Session session = adminConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                QueueBrowser browser = session.createBrowser(session.createQueue(queue), selector)) {
            Enumeration<?> messages = browser.getEnumeration();
            int count = 0;
            while (messages.hasMoreElements()) {
                messages.nextElement();
                count++;
            }
            return count;
        }
    }

    private static ActiveMQConnectionFactory connectionFactory(String brokerUrl) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokerUrl);
        factory.setWatchTopicAdvisories(false);
        factory.getPrefetchPolicy().setQueuePrefetch(1);
        RedeliveryPolicy redelivery = factory.getRedeliveryPolicy();
        redelivery.setInitialRedeliveryDelay(REDELIVERY_DELAY_MILLIS);
        redelivery.setRedeliveryDelay(REDELIVERY_DELAY_MILLIS);
        redelivery.setUseExponentialBackOff(false);
        redelivery.setMaximumRedeliveries(MAXIMUM_REDELIVERIES);
        return factory;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("Could not close {}: {}", closeable, e.toString());
        }
    }
}
