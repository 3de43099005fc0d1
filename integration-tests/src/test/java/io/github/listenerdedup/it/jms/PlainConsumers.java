package io.github.listenerdedup.it.jms;

import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.jms.DeduplicatingSessionListener;
import io.github.listenerdedup.jms.SessionMessageListener;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.command.ActiveMQQueue;

/**
 * Plain JMS consumers on the ActiveMQ client, without Spring: one connection, each consumer in a session of its
 * own with a {@link DeduplicatingSessionListener}, prefetching one message at a time.
 */
final class PlainConsumers implements AutoCloseable {

    private final Connection connection;
    private final List<DeduplicatingSessionListener> listeners = new CopyOnWriteArrayList<>();

    private PlainConsumers(Connection connection) {
        this.connection = connection;
    }

    /**
     * Opens a connection for consumers, not yet started.
     *
     * @param connectionFactory the factory, with its redelivery policy
     * @return the consumers' connection
     */
    static PlainConsumers open(ActiveMQConnectionFactory connectionFactory) throws JMSException {
        return new PlainConsumers(connectionFactory.createConnection());
    }

    /**
     * Adds a consumer on a queue in a session of its own, with its listener decorated.
     *
     * @param queue        the queue
     * @param mode         the session's mode
     * @param listener     the listener
     * @param deduplicator decides each delivery
     * @return this
     */
    PlainConsumers add(String queue, SessionMode mode, MessageListener listener, Deduplicator deduplicator)
            throws JMSException {
        Session session = mode.createSession(connection);
        return add(session, queue, DeduplicatingSessionListener.of(session, listener, deduplicator));
    }

    /**
     * Adds a consumer on a queue in a session of its own, with its listener, which is handed the session,
     * decorated.
     *
     * @param queue        the queue
     * @param mode         the session's mode
     * @param listener     the listener
     * @param deduplicator decides each delivery
     * @return this
     */
    PlainConsumers add(String queue, SessionMode mode, SessionMessageListener listener, Deduplicator deduplicator)
            throws JMSException {
        Session session = mode.createSession(connection);
        return add(session, queue, DeduplicatingSessionListener.of(session, listener, deduplicator));
    }

    private PlainConsumers add(Session session, String queue, DeduplicatingSessionListener decorated)
            throws JMSException {
        MessageConsumer consumer = session.createConsumer(new ActiveMQQueue(queue + "?consumer.prefetchSize=1"));
        listeners.add(decorated);
        consumer.setMessageListener(decorated);
        return this;
    }

    /** Starts delivery to every consumer. */
    PlainConsumers start() throws JMSException {
        connection.start();
        return this;
    }

    /** @return the decorators, in the order added */
    List<DeduplicatingSessionListener> listeners() {
        return listeners;
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}
