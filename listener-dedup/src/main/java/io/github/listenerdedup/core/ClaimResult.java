package io.github.listenerdedup.core;

import java.time.Duration;
import java.util.Objects;

/**
 * What a claim found, in one answer: whether the caller now owns the claim, and if not, who does and for how long.
 *
 * @param status      what the claim found
 * @param owner       the token that owns the claim ({@code ACQUIRED}: the caller's own; otherwise the holder's)
 * @param attempt     for {@code ACQUIRED}, the number of this attempt, 1 for the first; otherwise 0
 * @param fingerprint for {@code COMPLETED}, the fingerprint kept with the claim, or {@code null}
 * @param timeLeft    how long the key lives on; {@link Duration#ZERO} when unknown
 */
public record ClaimResult(Status status, String owner, int attempt, String fingerprint, Duration timeLeft) {

    /** What a claim found. */
    public enum Status {
        /** The caller owns the claim now: run the handler. */
        ACQUIRED,
        /** Another delivery of the id holds the claim and is running: wait, never ack. */
        IN_PROGRESS,
        /** The id was handled: the delivery is a duplicate. */
        COMPLETED
    }

    /**
     * Checks the fields.
     *
     * @throws NullPointerException when status, owner or timeLeft is null
     */
    public ClaimResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(timeLeft, "timeLeft");
    }

    /**
     * The caller owns the claim.
     *
     * @param owner    the caller's token
     * @param attempt  the attempt number, 1 for the first
     * @param timeLeft the lease left
     * @return the result
     */
    public static ClaimResult acquired(String owner, int attempt, Duration timeLeft) {
        return new ClaimResult(Status.ACQUIRED, owner, attempt, null, timeLeft);
    }

    /**
     * Another delivery holds the claim.
     *
     * @param owner    the holder's token
     * @param timeLeft the holder's lease left
     * @return the result
     */
    public static ClaimResult inProgress(String owner, Duration timeLeft) {
        return new ClaimResult(Status.IN_PROGRESS, owner, 0, null, timeLeft);
    }

    /**
     * The id was handled.
     *
     * @param owner       the token that completed it
     * @param fingerprint the fingerprint kept with the claim, or {@code null}
     * @param timeLeft    the retention left
     * @return the result
     */
    public static ClaimResult completed(String owner, String fingerprint, Duration timeLeft) {
        return new ClaimResult(Status.COMPLETED, owner, 0, fingerprint, timeLeft);
    }
}
