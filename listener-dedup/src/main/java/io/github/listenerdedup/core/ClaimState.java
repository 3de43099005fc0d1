package io.github.listenerdedup.core;

/**
 * The state of the claim on one event id, as a store holds it.
 */
public enum ClaimState {

    /** No claim: the id has not been seen, or its claim expired or was forgotten. */
    ABSENT,

    /** A consumer holds the claim and is running the handler; it lives for the lease. */
    IN_PROGRESS,

    /** The last attempt failed and gave the claim back; claimable like {@link #ABSENT}, it keeps the attempt count. */
    RELEASED,

    /** The handler succeeded; every later delivery of the id is a duplicate until the retention runs out. */
    COMPLETED
}
