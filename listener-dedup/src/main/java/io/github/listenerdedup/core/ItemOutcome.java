package io.github.listenerdedup.core;

import java.util.Objects;

/**
 * What happened to one delivery of a batch, and how the broker adapter settles it. The settlement is usually the
 * outcome's own; when the batch is settled as a whole it is the batch's.
 *
 * @param eventId    the event id, or {@code null} when the delivery had none
 * @param outcome    what happened to the delivery
 * @param settlement how to settle it
 */
public record ItemOutcome(String eventId, DeliveryOutcome outcome, Settlement settlement) {

    /**
     * Checks the fields.
     *
     * @throws NullPointerException when outcome or settlement is null
     */
    public ItemOutcome {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(settlement, "settlement");
    }
}
