package io.github.listenerdedup.rabbit;

import io.github.listenerdedup.core.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.support.ListenerExecutionFailedException;

/**
 * Writes the WARN line for a delivery whose listener failed: the listener, the event id, how often the broker has
 * delivered the message so far ({@code x-delivery-count} on quorum queues, else the {@code redelivered} flag), what
 * happens to the delivery, and the failure. The count and the flag are only reported, never used to decide.
 */
final class FailureLog {

    /** The header in which quorum queues count earlier deliveries of a message. */
    static final String DELIVERY_COUNT = "x-delivery-count";

    private static final Logger log = LoggerFactory.getLogger(DeduplicatingAdvice.class);

    private FailureLog() {
    }

    /**
     * Logs a failed delivery.
     *
     * @param listener   the listener, as messages name it: {@code listener 'orders'}
     * @param eventId    the event id, escaped or raw, or {@code null} when the delivery had none
     * @param properties the message's properties
     * @param fate       what happens to the delivery, for example {@code released and nacked}
     * @param failure    what the listener threw or reported, may be null
     */
    static void failed(String listener, String eventId, MessageProperties properties, String fate,
            Throwable failure) {
        log.warn("Handler failed on event {} ({}) for {}: {}: {}",
                eventId == null ? "without id" : LogText.escape(eventId), deliveryCount(properties), listener, fate,
                describe(failure));
    }

    /** The failure as the listener raised it: the container's wrapper is left out. */
    private static String describe(Throwable failure) {
        Throwable shown = failure;
        while (shown instanceof ListenerExecutionFailedException && shown.getCause() != null) {
            shown = shown.getCause();
        }
        return shown == null ? "no cause given" : shown.toString();
    }

    /**
     * Describes how often the message was delivered before, as the broker tells it.
     *
     * @param properties the message's properties
     * @return for example {@code x-delivery-count 2}, {@code redelivered} or {@code first delivery}
     */
    static String deliveryCount(MessageProperties properties) {
        Object count = properties.getHeaders().get(DELIVERY_COUNT);
        if (count != null) {
            return DELIVERY_COUNT + " " + LogText.escape(String.valueOf(count));
        }
        return Boolean.TRUE.equals(properties.getRedelivered()) ? "redelivered" : "first delivery";
    }
}
