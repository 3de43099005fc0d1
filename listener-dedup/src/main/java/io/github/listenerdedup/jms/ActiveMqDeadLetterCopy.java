package io.github.listenerdedup.jms;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import org.apache.activemq.command.ActiveMQMessage;

/**
 * Copies a received ActiveMQ message for the dead-letter queue, as the broker's own dead-letter strategy would: the
 * same body, headers and properties, the original destination set so that the console can retry it, the
 * redelivery counter reset, and the reason in {@link DeduplicatingMessageListener#REJECT_REASON_PROPERTY} and in
 * ActiveMQ's {@value ActiveMQMessage#DLQ_DELIVERY_FAILURE_CAUSE_PROPERTY}.
 *
 * <p>Loaded only when the ActiveMQ client is on the class path.
 */
final class ActiveMqDeadLetterCopy {

    private ActiveMqDeadLetterCopy() {
    }

    static boolean accepts(Message message) {
        return message instanceof ActiveMQMessage;
    }

    static Message of(Message original, String reason) throws JMSException {
        ActiveMQMessage received = (ActiveMQMessage) original;
        ActiveMQMessage copy = (ActiveMQMessage) received.copy();
        copy.setOriginalDestination(received.getDestination());
        copy.setRedeliveryCounter(0);
        copy.setReadOnlyProperties(false);
        copy.setStringProperty(DeduplicatingMessageListener.REJECT_REASON_PROPERTY, reason);
        copy.setStringProperty(ActiveMQMessage.DLQ_DELIVERY_FAILURE_CAUSE_PROPERTY, reason);
        return copy;
    }
}
