package io.github.listenerdedup.jms;

import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a copy of a rejected delivery to the dead-letter queue, in the session that consumed it: JMS has no reject
 * call. In a transacted session one commit then covers the copy and the consumption of the original; in the other
 * modes the copy is sent at once, before the original is acknowledged, so a lost acknowledgement can leave a
 * second copy but never none.
 *
 * <p>The copy is made before sending, because sending a received ActiveMQ message rewrites its destination and
 * message id. It is sent persistent, without expiry, at the original's priority.
 */
final class DeadLetterPublisher {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterPublisher.class);

    private final String queueName;

    DeadLetterPublisher(String queueName) {
        this.queueName = requireQueueName(queueName);
    }

    static String requireQueueName(String queueName) {
        if (queueName == null || queueName.isBlank()) {
            throw new IllegalArgumentException("deadLetterQueue must not be blank, but was "
                    + (queueName == null ? "null" : "'" + queueName + "'"));
        }
        return queueName;
    }

    String queueName() {
        return queueName;
    }

    /**
     * Sends the copy.
     *
     * @param original the rejected delivery, left unchanged
     * @param session  the session that consumed it
     * @param reason   why it was rejected, set as a property of the copy
     * @throws JMSException when the copy cannot be made or sent; the container then rolls back
     */
    void publish(Message original, Session session, String reason) throws JMSException {
        String description = JmsText.describe(original);
        Message copy = copyOf(original, session, reason);
        try (MessageProducer producer = session.createProducer(session.createQueue(queueName))) {
            producer.send(copy, DeliveryMode.PERSISTENT, original.getJMSPriority(), Message.DEFAULT_TIME_TO_LIVE);
        }
        log.info("Sent a copy of rejected {} to dead-letter queue '{}': {}", description, queueName, reason);
    }

    private static Message copyOf(Message original, Session session, String reason) throws JMSException {
        if (ActiveMqClient.PRESENT && ActiveMqDeadLetterCopy.accepts(original)) {
            return ActiveMqDeadLetterCopy.of(original, reason);
        }
        return PortableDeadLetterCopy.of(original, session, reason);
    }
}
