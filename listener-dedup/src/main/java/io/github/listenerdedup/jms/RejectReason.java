package io.github.listenerdedup.jms;

import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.core.EventIdReader;
import io.github.listenerdedup.core.EventIdReading;
import io.github.listenerdedup.core.IncomingDelivery;
import io.github.listenerdedup.core.LogText;

/**
 * The text of {@link DeduplicatingMessageListener#REJECT_REASON_PROPERTY} on a dead-letter copy, for the operator
 * who finds it there: the outcome that rejected the delivery, then what it found. Ids and resolver failures are
 * escaped, since the same text goes into a log line.
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
     * @param settings the deduplicator's settings
     * @return for example {@code rejected-id: event id BLANK (blank value)},
     *         {@code conflict: event id E-1 was handled before with other content} or
     *         {@code max-attempts: the listener failed its last allowed attempt (max-attempts 3) at event id E-1}
     */
    static String of(DeliveryOutcome outcome, IncomingDelivery delivery, EventIdReader reader,
            DedupSettings settings) {
        return switch (outcome) {
            case CONFLICT -> outcome.tag() + ": " + ClaimedId.describe(delivery, reader, settings.missingId())
                    + " was handled before with other content";
            case MAX_ATTEMPTS -> outcome.tag() + ": the listener failed its last allowed attempt (max-attempts "
                    + settings.maxAttempts() + ") at " + ClaimedId.describe(delivery, reader, settings.missingId());
            default -> outcome.tag() + ": " + unusableId(delivery, reader);
        };
    }

    private static String unusableId(IncomingDelivery delivery, EventIdReader reader) {
        if (delivery.resolveFailure() != null) {
            return "event id UNREADABLE (" + LogText.escape(delivery.resolveFailure()) + ")";
        }
        EventIdReading reading = reader.read(delivery.eventIdValue());
        if (reading.isPresent()) {
            return "event id " + LogText.escape(reading.id());
        }
        return "event id " + reading.status() + " (" + reading.reason() + ")";
    }
}
