package io.github.listenerdedup.core;

/**
 * Reads the raw event id value from a broker's message, when the id is not in the configured header: another
 * header, a property, a field of the body. The value then follows the rules of {@link EventIdReader}.
 *
 * <pre>{@code
 * EventIdResolver<Message> fromCorrelationId = message -> message.getMessageProperties().getCorrelationId();
 * }</pre>
 *
 * @param <M> the broker's message type
 */
@FunctionalInterface
public interface EventIdResolver<M> {

    /**
     * Reads the value.
     *
     * @param message the delivery
     * @return the value, or {@code null} when the message has none
     * @throws Exception when the message cannot be read; the id then counts as unreadable
     */
    Object resolve(M message) throws Exception;
}
