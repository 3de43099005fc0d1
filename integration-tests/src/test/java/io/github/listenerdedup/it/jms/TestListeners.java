package io.github.listenerdedup.it.jms;

import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.it.HandlerRuns;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.util.List;

/**
 * Listeners the JMS integration tests decorate, each counting its runs by the event id in
 * {@link DedupSettings#DEFAULT_HEADER_NAME}.
 */
final class TestListeners {

    private TestListeners() {
    }

    /**
     * A listener that succeeds every time.
     *
     * @param runs counts starts and successes
     * @return the listener
     */
    static MessageListener succeeding(HandlerRuns runs) {
        return message -> {
            String id = idOf(message);
            runs.started(id);
            runs.succeeded(id);
        };
    }

    /**
     * A listener that fails the first attempts of each id and records the {@code JMSXDeliveryCount} of every
     * delivery it is given.
     *
     * @param failures       how many attempts of each id fail; {@link Integer#MAX_VALUE} for all
     * @param runs           counts starts and successes
     * @param deliveryCounts receives each delivery's count
     * @return the listener
     */
    static MessageListener failingFirst(int failures, HandlerRuns runs, List<Integer> deliveryCounts) {
        return message -> {
            String id = idOf(message);
            deliveryCounts.add(Integer.valueOf(property(message, "JMSXDeliveryCount")));
            int attempt = runs.started(id);
            if (attempt <= failures) {
                throw new IllegalStateException("attempt " + attempt + " of " + id + " fails");
            }
            runs.succeeded(id);
        };
    }

    /** @return the event id property of a message, or {@code null} */
    static String idOf(Message message) {
        return property(message, DedupSettings.DEFAULT_HEADER_NAME);
    }

    /** @return the {@code JMSMessageID} of a message */
    static String messageIdOf(Message message) {
        try {
            return message.getJMSMessageID();
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return a property of a message as text, or {@code null} */
    static String property(Message message, String name) {
        try {
            return message.getStringProperty(name);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
