package io.github.listenerdedup.jms;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;

/**
 * A plain JMS listener that is handed the consuming session with each message, for
 * {@link DeduplicatingSessionListener}: to send through the session, or to hand the message back with
 * {@code rollback()} or {@code recover()} without throwing. The decorator sees such a call, releases the claim
 * instead of completing it, and the broker redelivers the message. The same spirit as Spring's
 * {@code SessionAwareMessageListener}, without Spring.
 *
 * <pre>{@code
 * consumer.setMessageListener(DeduplicatingSessionListener.of(session, (message, listenerSession) -> {
 *     if (!inventory.reserve(message)) {
 *         listenerSession.rollback();   // try again later
 *     }
 * }, deduplicator));
 * }</pre>
 */
@FunctionalInterface
public interface SessionMessageListener {

    /**
     * Handles one message.
     *
     * @param message the message
     * @param session a view of the consuming session; it implements the JMS session interfaces of the session,
     *                not the provider's class
     * @throws JMSException when a JMS call fails; the delivery is then handled as a failure of the listener
     */
    void onMessage(Message message, Session session) throws JMSException;
}
