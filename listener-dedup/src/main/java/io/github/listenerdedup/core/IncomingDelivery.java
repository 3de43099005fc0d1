package io.github.listenerdedup.core;

/**
 * What the {@link Deduplicator} needs of one delivery, read by the broker adapter.
 *
 * @param eventIdValue   the raw value of the id header or resolver, or {@code null} when absent
 * @param messageIdValue the broker's message id, used only by {@link MissingIdPolicy#MESSAGE_ID}; may be null
 * @param resolveFailure why the id could not be read at all (a resolver threw), or {@code null}
 * @param body           the payload, for fingerprints; {@code null} when not read
 */
public record IncomingDelivery(Object eventIdValue, Object messageIdValue, String resolveFailure, byte[] body) {

    /**
     * A delivery without a body.
     *
     * @param eventIdValue   the raw id value, or {@code null} when absent
     * @param messageIdValue the broker's message id, or {@code null}
     * @param resolveFailure why the id could not be read, or {@code null}
     */
    public IncomingDelivery(Object eventIdValue, Object messageIdValue, String resolveFailure) {
        this(eventIdValue, messageIdValue, resolveFailure, null);
    }

    /**
     * The same delivery with its payload, for fingerprints.
     *
     * @param payload the body's bytes
     * @return the delivery
     */
    public IncomingDelivery withBody(byte[] payload) {
        return new IncomingDelivery(eventIdValue, messageIdValue, resolveFailure, payload);
    }

    /**
     * A delivery whose id value was read.
     *
     * @param eventIdValue   the raw id value, or {@code null} when absent
     * @param messageIdValue the broker's message id, or {@code null}
     * @return the delivery
     */
    public static IncomingDelivery of(Object eventIdValue, Object messageIdValue) {
        return new IncomingDelivery(eventIdValue, messageIdValue, null);
    }

    /**
     * A delivery whose id could not be read, because the resolver threw.
     *
     * @param failure        the resolver's exception
     * @param messageIdValue the broker's message id, or {@code null}
     * @return the delivery
     */
    public static IncomingDelivery unreadable(Exception failure, Object messageIdValue) {
        return new IncomingDelivery(null, messageIdValue, "the id resolver failed: " + failure);
    }

    /**
     * Reads the id value of a delivery with a resolver, turning a resolver's failure into an unreadable id.
     *
     * @param message        the delivery
     * @param resolver       the resolver
     * @param messageIdValue the broker's message id, or {@code null}
     * @param <M>            the broker's message type
     * @return the delivery
     */
    public static <M> IncomingDelivery resolve(M message, EventIdResolver<M> resolver, Object messageIdValue) {
        try {
            return of(resolver.resolve(message), messageIdValue);
        } catch (Exception e) {
            return unreadable(e, messageIdValue);
        }
    }
}
