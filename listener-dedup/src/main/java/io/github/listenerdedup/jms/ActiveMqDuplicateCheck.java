package io.github.listenerdedup.jms;

import jakarta.jms.Session;
import org.apache.activemq.ActiveMQConnection;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.ActiveMQSession;
import org.slf4j.Logger;

/**
 * Warns at start-up about ActiveMQ's own duplicate check on a failover connection: after a reconnect, the client
 * poison-acks a redelivered message that it had handed to a listener before, and the broker dead-letters it, though
 * nothing failed. The deduplicator recognises such redeliveries itself, so the check should be off.
 *
 * <p>Loaded only when the ActiveMQ client is on the class path.
 */
final class ActiveMqDuplicateCheck {

    private ActiveMqDuplicateCheck() {
    }

    /**
     * Checks a connection factory that a container uses, when it is ActiveMQ's own.
     *
     * @param log               the installer's logger
     * @param connectionFactory the factory, of any kind
     * @param where             the destination, for the log line
     */
    static void warnIfCheckingOverFailover(Logger log, Object connectionFactory, String where) {
        if (connectionFactory instanceof ActiveMQConnectionFactory factory && factory.isCheckForDuplicates()
                && factory.getBrokerURL() != null && factory.getBrokerURL().startsWith("failover:")) {
            warn(log, where);
        }
    }

    /**
     * Checks the connection of a session, when it is ActiveMQ's own.
     *
     * @param log     the installer's logger
     * @param session the session
     * @param where   the session, for the log line
     */
    static void warnIfCheckingOverFailover(Logger log, Session session, String where) {
        if (session instanceof ActiveMQSession activeMqSession) {
            ActiveMQConnection connection = activeMqSession.getConnection();
            if (connection.isCheckForDuplicates() && connection.getTransport().isFaultTolerant()) {
                warn(log, where);
            }
        }
    }

    private static void warn(Logger log, String where) {
        log.warn("The ActiveMQ connection of {} uses the failover transport with checkForDuplicates=true: after a "
                + "reconnect the client poison-acks a redelivered message it had handed to a listener before, and the "
                + "broker dead-letters it; set checkForDuplicates=false on the connection factory (or "
                + "jms.checkForDuplicates=false in the broker URL), since the deduplicator recognises redeliveries "
                + "itself", where);
    }
}
