package io.github.listenerdedup.core;

/**
 * Hears the outcome of every delivery, for metrics and tests. A listener's own failure is logged and never breaks a
 * delivery.
 */
@FunctionalInterface
public interface OutcomeListener {

    /** A listener that does nothing, the default. */
    OutcomeListener NONE = (group, eventId, outcome) -> {
    };

    /**
     * Called once per delivery, after the decision and before the broker settles it.
     *
     * @param group   the consumer group
     * @param eventId the event id, or {@code null} when the delivery had none
     * @param outcome what happened
     */
    void onOutcome(String group, String eventId, DeliveryOutcome outcome);
}
