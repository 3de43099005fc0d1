package io.github.listenerdedup.it.jms;

import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.RedeliveryPolicy;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.TransportConnector;
import org.apache.activemq.broker.region.DestinationStatistics;
import org.apache.activemq.command.ActiveMQMessage;
import org.apache.activemq.command.ActiveMQQueue;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

/**
 * An ActiveMQ broker inside the test JVM, kept in memory, on a free loopback TCP port, without JMX: started once per
 * test class. Its connection factory redelivers a rolled-back message after {@value #REDELIVERY_DELAY_MILLIS} ms,
 * at most {@value #MAXIMUM_REDELIVERIES} times, and the broker then moves it to {@value #DEAD_LETTER_QUEUE}.
 *
 * <p>Messages are published persistent, because the broker's dead-letter strategy drops non-persistent ones.
 */
public final class EmbeddedActiveMq {

    /** The broker's shared dead-letter queue, also the library's default. */
    static final String DEAD_LETTER_QUEUE = "ActiveMQ.DLQ";
    /** How often a rolled-back message is redelivered before the broker dead-letters it. */
    static final int MAXIMUM_REDELIVERIES = 5;
    /** The pause before each redelivery. */
    static final long REDELIVERY_DELAY_MILLIS = 50;

    private static final Duration CONSUMERS_TIMEOUT = Duration.ofSeconds(10);

    private final BrokerService broker;
    private final ActiveMQConnectionFactory connectionFactory;
    private final Connection publisherConnection;
    private final Session publisherSession;
    private final MessageProducer publisher;
    private final List<DefaultMessageListenerContainer> containers = new CopyOnWriteArrayList<>();

    private EmbeddedActiveMq(BrokerService broker, String brokerUrl) throws JMSException {
        this.broker = broker;
        this.connectionFactory = connectionFactory(brokerUrl);
        this.publisherConnection = connectionFactory.createConnection();
        this.publisherSession = publisherConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        this.publisher = publisherSession.createProducer(null);
        publisher.setDeliveryMode(DeliveryMode.PERSISTENT);
    }

    /**
     * Starts a broker.
     *
     * @return the running broker, with a connection to publish through
     */
    public static EmbeddedActiveMq start() throws Exception {
        BrokerService broker = new BrokerService();
        broker.setBrokerName("dedup-it-" + UUID.randomUUID());
        broker.setPersistent(false);
        broker.setUseJmx(false);
        broker.setAdvisorySupport(false);
        broker.setSchedulerSupport(false);
        broker.setUseShutdownHook(false);
        TransportConnector connector = broker.addConnector("tcp://127.0.0.1:0");
        broker.start();
        broker.waitUntilStarted();
        return new EmbeddedActiveMq(broker, connector.getConnectUri().toString());
    }

    /** @return a queue name no other test uses */
    public static String uniqueQueue(String purpose) {
        return "it.jms." + purpose + "." + UUID.randomUUID();
    }

    /** @return the connection factory consumers use, with the test redelivery policy */
    public ActiveMQConnectionFactory connectionFactory() {
        return connectionFactory;
    }

    /**
     * A container on a queue with a transacted session, not yet started.
     *
     * @param queue     the queue
     * @param consumers how many concurrent consumers
     * @param listener  the listener
     * @return the container
     */
    public DefaultMessageListenerContainer transactedContainer(String queue, int consumers, Object listener) {
        DefaultMessageListenerContainer container = new DefaultMessageListenerContainer();
        container.setConnectionFactory(connectionFactory);
        container.setDestinationName(queue);
        container.setSessionTransacted(true);
        container.setConcurrentConsumers(consumers);
        container.setReceiveTimeout(100);
        container.setMessageListener(listener);
        return container;
    }

    /**
     * Starts a container and waits until each of its consumers is subscribed, so that no message is prefetched by
     * an early consumer alone. {@link #stopContainers()} stops it.
     *
     * @param container the container
     * @param consumers how many consumers to wait for
     */
    public void start(DefaultMessageListenerContainer container, int consumers) {
        containers.add(container);
        container.afterPropertiesSet();
        container.start();
        String queue = container.getDestinationName();
        await().atMost(CONSUMERS_TIMEOUT).until(() -> consumerCount(queue) >= consumers);
    }

    /** Stops every container started through {@link #start}. */
    public void stopContainers() {
        for (DefaultMessageListenerContainer container : containers) {
            container.shutdown();
        }
        containers.clear();
    }

    /**
     * Publishes a persistent text message.
     *
     * @param destination the queue, or a composite of queues
     * @param properties  JMS properties to set, each with its Java type
     * @param body        the text
     */
    synchronized void publish(Destination destination, Map<String, Object> properties, String body)
            throws JMSException {
        TextMessage message = publisherSession.createTextMessage(body);
        for (Map.Entry<String, Object> property : properties.entrySet()) {
            message.setObjectProperty(property.getKey(), property.getValue());
        }
        publisher.send(destination, message);
    }

    /** Publishes a persistent text message to a queue. */
    public void publish(String queue, Map<String, Object> properties, String body) throws JMSException {
        publish(new ActiveMQQueue(queue), properties, body);
    }

    /** @return whether the queue holds no message, neither waiting nor dispatched and unacknowledged */
    public boolean isDrained(String queue) throws Exception {
        DestinationStatistics statistics = statisticsOf(queue);
        return statistics.getMessages().getCount() == 0 && statistics.getInflight().getCount() == 0;
    }

    /** @return how many messages the queue holds, dispatched or not */
    long queueSize(String queue) throws Exception {
        return statisticsOf(queue).getMessages().getCount();
    }

    /** @return how many consumers the queue has */
    int consumerCount(String queue) throws Exception {
        return broker.getDestination(new ActiveMQQueue(queue)).getConsumers().size();
    }

    /**
     * The messages in {@value #DEAD_LETTER_QUEUE} that came from a queue, copied out of the broker.
     *
     * @param queue the original queue
     * @return the dead letters, oldest first
     */
    public List<ActiveMQMessage> deadLettersFrom(String queue) throws Exception {
        ActiveMQQueue original = new ActiveMQQueue(queue);
        return Arrays.stream(broker.getDestination(new ActiveMQQueue(DEAD_LETTER_QUEUE)).browse())
                .filter(message -> original.equals(message.getOriginalDestination()))
                .map(message -> (ActiveMQMessage) message.copy())
                .toList();
    }

    /** Stops every container, the publishing connection and the broker. */
    public void stop() throws Exception {
        stopContainers();
        publisherConnection.close();
        broker.stop();
        broker.waitUntilStopped();
    }

    private DestinationStatistics statisticsOf(String queue) throws Exception {
        return broker.getDestination(new ActiveMQQueue(queue)).getDestinationStatistics();
    }

    private static ActiveMQConnectionFactory connectionFactory(String brokerUrl) {
        RedeliveryPolicy redelivery = new RedeliveryPolicy();
        redelivery.setInitialRedeliveryDelay(REDELIVERY_DELAY_MILLIS);
        redelivery.setRedeliveryDelay(REDELIVERY_DELAY_MILLIS);
        redelivery.setUseExponentialBackOff(false);
        redelivery.setMaximumRedeliveries(MAXIMUM_REDELIVERIES);
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokerUrl);
        factory.setRedeliveryPolicy(redelivery);
        factory.setWatchTopicAdvisories(false);
        return factory;
    }
}
