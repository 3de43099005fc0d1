package io.github.listenerdedup.demo;

import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The business handler the demo protects: it "handles" an event by taking a few milliseconds and writing it into
 * the {@link HandlingLedger}. For the events of the plan's fail-first set it throws on the first try, as a flaky
 * downstream would, so that the library releases the claim and the broker redelivers.
 */
public final class DemoHandler {

    /** The longest simulated work, in milliseconds. */
    static final int MAX_WORK_MILLIS = 20;

    private final HandlingLedger ledger;
    private final Set<String> failFirstIds;

    /**
     * Creates the handler.
     *
     * @param ledger       where handled events are written
     * @param failFirstIds the events whose first try fails
     */
    public DemoHandler(HandlingLedger ledger, Set<String> failFirstIds) {
        this.ledger = ledger;
        this.failFirstIds = Set.copyOf(failFirstIds);
    }

    /**
     * Handles one event.
     *
     * @param eventId the event id read from the delivery
     * @param payload the body
     * @throws SimulatedFailureException on the first try of a fail-first event
     * @throws IllegalStateException     when the consumer is stopped while it works; the event is not recorded
     */
    public void handle(String eventId, String payload) {
        if (failFirstIds.contains(eventId) && ledger.recordFirstFailure(eventId)) {
            throw new SimulatedFailureException(eventId);
        }
        work(eventId);
        ledger.recordHandled(eventId);
    }

    /**
     * Tells whether a failure is, or was caused by, the failure this handler simulates.
     *
     * @param failure what a container reported
     * @return {@code true} when a {@link SimulatedFailureException} is in its cause chain
     */
    public static boolean isSimulatedFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SimulatedFailureException) {
                return true;
            }
        }
        return false;
    }

    private static void work(String eventId) {
        try {
            Thread.sleep(1 + ThreadLocalRandom.current().nextInt(MAX_WORK_MILLIS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handling " + eventId, e);
        }
    }

    /** The failure the handler simulates on the first try of a fail-first event. */
    public static final class SimulatedFailureException extends RuntimeException {

        SimulatedFailureException(String eventId) {
            super("simulated failure on the first try of " + eventId);
        }
    }
}
