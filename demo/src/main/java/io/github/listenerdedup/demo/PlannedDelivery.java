package io.github.listenerdedup.demo;

import java.util.Objects;

/**
 * One message the demo publishes: an event id in the {@code eventId} header and a text body. Two deliveries with
 * one id are copies of one event.
 *
 * @param eventId the event id
 * @param payload the body
 */
public record PlannedDelivery(String eventId, String payload) {

    /**
     * Checks the fields.
     *
     * @throws NullPointerException when a field is null
     */
    public PlannedDelivery {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(payload, "payload");
    }
}
