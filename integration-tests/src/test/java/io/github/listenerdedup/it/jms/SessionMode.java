package io.github.listenerdedup.it.jms;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import org.springframework.jms.config.DefaultJmsListenerContainerFactory;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

/**
 * The kinds of JMS session a test consumes in: transacted, or one of the acknowledge modes of JMS and ActiveMQ.
 */
enum SessionMode {

    TRANSACTED(true, Session.SESSION_TRANSACTED),
    AUTO_ACKNOWLEDGE(false, Session.AUTO_ACKNOWLEDGE),
    CLIENT_ACKNOWLEDGE(false, Session.CLIENT_ACKNOWLEDGE),
    DUPS_OK_ACKNOWLEDGE(false, Session.DUPS_OK_ACKNOWLEDGE),
    INDIVIDUAL_ACKNOWLEDGE(false, 4);

    private final boolean transacted;
    private final int acknowledgeMode;

    SessionMode(boolean transacted, int acknowledgeMode) {
        this.transacted = transacted;
        this.acknowledgeMode = acknowledgeMode;
    }

    /** Sets the container's sessions to this mode. */
    void applyTo(DefaultMessageListenerContainer container) {
        container.setSessionTransacted(transacted);
        container.setSessionAcknowledgeMode(acknowledgeMode);
    }

    /** Sets the factory's containers' sessions to this mode. */
    void applyTo(DefaultJmsListenerContainerFactory factory) {
        factory.setSessionTransacted(transacted);
        factory.setSessionAcknowledgeMode(acknowledgeMode);
    }

    /** @return a new session of this mode */
    Session createSession(Connection connection) throws JMSException {
        return connection.createSession(transacted, acknowledgeMode);
    }
}
