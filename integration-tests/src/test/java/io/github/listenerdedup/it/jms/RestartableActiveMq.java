package io.github.listenerdedup.it.jms;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.RedeliveryPolicy;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.region.DestinationStatistics;
import org.apache.activemq.command.ActiveMQMessage;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;

/**
 * An ActiveMQ broker inside the test JVM that keeps its messages in KahaDB, in a directory of the test's own, and
 * can be stopped and started again on the same loopback port. Clients connect through the failover transport, which
 * reconnects to the restarted broker with short delays.
 */
final class RestartableActiveMq {

    private static final String BROKER_NAME = "dedup-it-restartable";

    private final Path dataDirectory;
    private final int port;
    private volatile BrokerService broker;
    private Connection publisherConnection;
    private Session publisherSession;
    private MessageProducer publisher;

    private RestartableActiveMq(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    /**
     * Starts a broker on a free port.
     *
     * @param dataDirectory where KahaDB keeps the messages
     * @return the running broker, with a failover connection to publish through
     */
    static RestartableActiveMq start(Path dataDirectory) throws Exception {
        RestartableActiveMq activeMq = new RestartableActiveMq(dataDirectory, freePort());
        activeMq.startBroker();
        activeMq.openPublisher();
        return activeMq;
    }

    /**
     * A connection factory over the failover transport, with the test redelivery policy of
     * {@link EmbeddedActiveMq}, and without the client's duplicate check, as the deduplication guide advises: after
     * a reconnect that check poison-acks a redelivered message it had already handed to a listener, which sends it
     * to the dead-letter queue; the deduplicator recognises such a redelivery itself.
     *
     * @return a new factory
     */
    ActiveMQConnectionFactory failoverConnectionFactory() {
        ActiveMQConnectionFactory factory = checkingDuplicatesConnectionFactory();
        factory.setCheckForDuplicates(false);
        return factory;
    }

    /**
     * A connection factory over the failover transport with the client's duplicate check left on, as ActiveMQ has
     * it by default.
     *
     * @return a new factory
     */
    ActiveMQConnectionFactory checkingDuplicatesConnectionFactory() {
        String url = "failover:(tcp://127.0.0.1:" + port + ")?initialReconnectDelay=20&maxReconnectDelay=100"
                + "&useExponentialBackOff=false";
        RedeliveryPolicy redelivery = new RedeliveryPolicy();
        redelivery.setInitialRedeliveryDelay(EmbeddedActiveMq.REDELIVERY_DELAY_MILLIS);
        redelivery.setRedeliveryDelay(EmbeddedActiveMq.REDELIVERY_DELAY_MILLIS);
        redelivery.setUseExponentialBackOff(false);
        redelivery.setMaximumRedeliveries(EmbeddedActiveMq.MAXIMUM_REDELIVERIES);
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
        factory.setRedeliveryPolicy(redelivery);
        factory.setWatchTopicAdvisories(false);
        return factory;
    }

    /** Stops the broker, keeping its messages, and starts it again on the same port and data. */
    void restart() throws Exception {
        stopBroker();
        startBroker();
    }

    /**
     * Publishes a persistent text message through the failover connection: while the broker is down the send
     * waits until it is back.
     */
    synchronized void publish(String queue, Map<String, Object> properties, String body) throws JMSException {
        TextMessage message = publisherSession.createTextMessage(body);
        for (Map.Entry<String, Object> property : properties.entrySet()) {
            message.setObjectProperty(property.getKey(), property.getValue());
        }
        publisher.send(new ActiveMQQueue(queue), message);
    }

    /** @return whether the queue holds no message, neither waiting nor dispatched and unacknowledged */
    boolean isDrained(String queue) throws Exception {
        DestinationStatistics statistics = broker.getDestination(new ActiveMQQueue(queue)).getDestinationStatistics();
        return statistics.getMessages().getCount() == 0 && statistics.getInflight().getCount() == 0;
    }

    /** @return the messages of {@value EmbeddedActiveMq#DEAD_LETTER_QUEUE} that came from the queue */
    List<ActiveMQMessage> deadLettersFrom(String queue) throws Exception {
        ActiveMQQueue original = new ActiveMQQueue(queue);
        return Arrays.stream(broker.getDestination(new ActiveMQQueue(EmbeddedActiveMq.DEAD_LETTER_QUEUE)).browse())
                .filter(message -> original.equals(message.getOriginalDestination()))
                .map(message -> (ActiveMQMessage) message.copy())
                .toList();
    }

    /** Closes the publisher and stops the broker. */
    void stop() throws Exception {
        publisherConnection.close();
        stopBroker();
    }

    private void openPublisher() throws JMSException {
        publisherConnection = failoverConnectionFactory().createConnection();
        publisherSession = publisherConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        publisher = publisherSession.createProducer(null);
        publisher.setDeliveryMode(DeliveryMode.PERSISTENT);
    }

    private void startBroker() throws Exception {
        BrokerService started = new BrokerService();
        started.setBrokerName(BROKER_NAME);
        started.setDataDirectoryFile(dataDirectory.toFile());
        started.setPersistenceAdapter(kahaDb());
        started.setUseJmx(false);
        started.setAdvisorySupport(false);
        started.setSchedulerSupport(false);
        started.setUseShutdownHook(false);
        started.addConnector("tcp://127.0.0.1:" + port);
        started.start();
        started.waitUntilStarted();
        broker = started;
    }

    private void stopBroker() throws Exception {
        broker.stop();
        broker.waitUntilStopped();
    }

    private KahaDBPersistenceAdapter kahaDb() {
        KahaDBPersistenceAdapter kahaDb = new KahaDBPersistenceAdapter();
        kahaDb.setDirectory(dataDirectory.resolve("kahadb").toFile());
        kahaDb.setJournalDiskSyncStrategy("never");
        return kahaDb;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
