package io.github.listenerdedup.jms;

import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.Topic;

/**
 * How messages and destinations are named in log lines and exception messages.
 */
final class JmsText {

    private JmsText() {
    }

    /**
     * Names a message by its id and destination.
     *
     * @param message the message
     * @return for example {@code message ID:host-1:1:1:1:1 from queue 'orders'}
     */
    static String describe(Message message) {
        String id;
        Destination destination;
        try {
            id = message.getJMSMessageID();
            destination = message.getJMSDestination();
        } catch (JMSException e) {
            return "a message whose headers cannot be read (" + e.getMessage() + ")";
        }
        return "message " + id + " from " + describe(destination);
    }

    /**
     * Names a destination.
     *
     * @param destination the destination, or {@code null}
     * @return for example {@code topic 'events'}
     */
    static String describe(Destination destination) {
        try {
            if (destination instanceof Queue queue) {
                return "queue '" + queue.getQueueName() + "'";
            }
            if (destination instanceof Topic topic) {
                return "topic '" + topic.getTopicName() + "'";
            }
        } catch (JMSException e) {
            return String.valueOf(destination);
        }
        return destination == null ? "an unknown destination" : destination.toString();
    }
}
