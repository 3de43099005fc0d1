package io.github.listenerdedup.jms;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageEOFException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import java.util.Enumeration;

/**
 * Copies a received message of any JMS provider for the dead-letter queue, through the JMS API: a new message of
 * the same kind with the same body, correlation id, type, reply-to and properties (but the provider's own
 * {@code JMSX} ones), the reason in {@link DeduplicatingMessageListener#REJECT_REASON_PROPERTY} and the original
 * destination in {@link DeduplicatingMessageListener#ORIGINAL_DESTINATION_PROPERTY}.
 */
final class PortableDeadLetterCopy {

    private PortableDeadLetterCopy() {
    }

    static Message of(Message original, Session session, String reason) throws JMSException {
        Message copy = copyBody(original, session);
        copy.setJMSCorrelationID(original.getJMSCorrelationID());
        copy.setJMSType(original.getJMSType());
        copy.setJMSReplyTo(original.getJMSReplyTo());
        Enumeration<?> names = original.getPropertyNames();
        while (names.hasMoreElements()) {
            String property = (String) names.nextElement();
            if (!property.startsWith("JMSX")) {
                copy.setObjectProperty(property, original.getObjectProperty(property));
            }
        }
        copy.setStringProperty(DeduplicatingMessageListener.REJECT_REASON_PROPERTY, reason);
        copy.setStringProperty(DeduplicatingMessageListener.ORIGINAL_DESTINATION_PROPERTY,
                JmsText.describe(original.getJMSDestination()));
        return copy;
    }

    private static Message copyBody(Message original, Session session) throws JMSException {
        if (original instanceof TextMessage text) {
            return session.createTextMessage(text.getText());
        }
        if (original instanceof BytesMessage bytes) {
            BytesMessage copy = session.createBytesMessage();
            byte[] body = bytes.getBody(byte[].class);
            if (body != null) {
                copy.writeBytes(body);
            }
            return copy;
        }
        if (original instanceof MapMessage map) {
            MapMessage copy = session.createMapMessage();
            Enumeration<?> names = map.getMapNames();
            while (names.hasMoreElements()) {
                String name = (String) names.nextElement();
                copy.setObject(name, map.getObject(name));
            }
            return copy;
        }
        if (original instanceof ObjectMessage object) {
            return session.createObjectMessage(object.getObject());
        }
        if (original instanceof StreamMessage stream) {
            return copyStream(stream, session);
        }
        return session.createMessage();
    }

    private static StreamMessage copyStream(StreamMessage original, Session session) throws JMSException {
        StreamMessage copy = session.createStreamMessage();
        original.reset();
        while (true) {
            try {
                copy.writeObject(original.readObject());
            } catch (MessageEOFException end) {
                return copy;
            }
        }
    }
}
