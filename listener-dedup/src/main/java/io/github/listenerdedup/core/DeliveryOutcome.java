package io.github.listenerdedup.core;

/**
 * What happened to one delivery, named for what happens to it, each with the settlement the broker adapter applies
 * and a short tag for metrics.
 */
public enum DeliveryOutcome {

    /** The claim was acquired, the handler succeeded and the claim is {@code COMPLETED}. */
    PROCESSED("processed", Settlement.ACK),

    /** The id was already handled: the handler was skipped. */
    DUPLICATE("duplicate", Settlement.ACK),

    /** The handler failed: the claim was released so a redelivery can succeed. */
    RELEASED("released", Settlement.FAIL),

    /** Another consumer still held the claim after the in-flight wait: requeued, never acknowledged. */
    IN_FLIGHT_REQUEUED("in-flight-requeued", Settlement.REQUEUE),

    /** The store could not be reached (fail-closed): the handler did not run and the delivery was requeued. */
    STORE_UNAVAILABLE("store-unavailable", Settlement.REQUEUE),

    /** The store could not be reached (fail-open), or the id was unusable (missing-id {@code process}): the
     * handler ran without a claim. */
    PROCESSED_WITHOUT_CLAIM("processed-without-claim", Settlement.ACK),

    /** A handler that ran without a claim failed. */
    FAILED_WITHOUT_CLAIM("failed-without-claim", Settlement.FAIL),

    /** The handler succeeded but the completion could not be written: acknowledged anyway, since a requeue would
     * run the handler again once the lease ran out. */
    COMPLETION_LOST("completion-lost", Settlement.ACK),

    /** The handler succeeded but its claim had passed to another delivery before it could be completed. */
    LEASE_LOST("lease-lost", Settlement.ACK),

    /** The id was missing, blank, too long or unreadable: rejected to the dead-letter path. */
    REJECTED_ID("rejected-id", Settlement.REJECT),

    /** The id was completed with another payload fingerprint (same id, other content: a producer bug): the handler
     * was skipped and the delivery rejected to the dead-letter path. */
    CONFLICT("conflict", Settlement.REJECT),

    /** The handler failed on the attempt that reached the maximum: the claim was discarded and the delivery
     * rejected to the dead-letter path instead of nacked. */
    MAX_ATTEMPTS("max-attempts", Settlement.REJECT);

    private final String tag;
    private final Settlement settlement;

    DeliveryOutcome(String tag, Settlement settlement) {
        this.tag = tag;
        this.settlement = settlement;
    }

    /** @return the metrics tag, for example {@code in-flight-requeued} */
    public String tag() {
        return tag;
    }

    /** @return what the broker adapter does with the delivery */
    public Settlement settlement() {
        return settlement;
    }
}
