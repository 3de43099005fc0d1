package io.github.listenerdedup.jms;

import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.core.EventIdReader;
import io.github.listenerdedup.core.EventIdReading;
import io.github.listenerdedup.core.IncomingDelivery;

/**
 * The text of {@link DeduplicatingMessageListener#REJECT_REASON_PROPERTY} on a dead-letter copy, for the operator
 * who finds it there.
 */
final class RejectReason {

    private RejectReason() {
    }

    /**
     * Says why a delivery was rejected.
     *
     * @param outcome  the outcome that rejected it
     * @param delivery what was read of it
     * @param reader   reads the id value by the same rules as the deduplicator
     * @return for example {@code rejected-id: event id BLANK (blank value)}
     */
    static String of(DeliveryOutcome outcome, IncomingDelivery delivery, EventIdReader reader) {
        if (delivery.resolveFailure() != null) {
            return outcome.tag() + ": event id UNREADABLE (" + delivery.resolveFailure() + ")";
        }
        EventIdReading reading = reader.read(delivery.eventIdValue());
        if (reading.isPresent()) {
            return outcome.tag() + ": event id " + reading.id();
        }
        return outcome.tag() + ": event id " + reading.status() + " (" + reading.reason() + ")";
    }
}
