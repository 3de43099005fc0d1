package io.github.listenerdedup.jms;

import io.github.listenerdedup.core.EventIdReader;
import io.github.listenerdedup.core.EventIdReading;
import io.github.listenerdedup.core.IncomingDelivery;
import io.github.listenerdedup.core.LogText;
import io.github.listenerdedup.core.MissingIdPolicy;

/**
 * Names the id a delivery was claimed by, for log lines and dead-letter reasons, by the deduplicator's own rules:
 * the event id, or the message id where {@link MissingIdPolicy#MESSAGE_ID} stood in for a missing one. Control
 * characters are escaped.
 */
final class ClaimedId {

    private ClaimedId() {
    }

    /**
     * Names the id.
     *
     * @param delivery what was read of the delivery
     * @param reader   reads id values by the deduplicator's rules
     * @param policy   the deduplicator's missing-id policy
     * @return for example {@code event id E-1}, {@code message id ID:host-1:1:1:1:1}, or
     *         {@code a delivery without a usable event id}
     */
    static String describe(IncomingDelivery delivery, EventIdReader reader, MissingIdPolicy policy) {
        EventIdReading reading = reader.read(delivery.eventIdValue());
        if (delivery.resolveFailure() == null && reading.isPresent()) {
            return "event id " + LogText.escape(reading.id());
        }
        EventIdReading messageId = reader.read(delivery.messageIdValue());
        if (policy == MissingIdPolicy.MESSAGE_ID && messageId.isPresent()) {
            return "message id " + LogText.escape(messageId.id());
        }
        return "a delivery without a usable event id";
    }
}
