package io.github.listenerdedup.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The whole claim on one key as a store holds it, for operators and tests.
 *
 * @param state       the state; {@link ClaimState#ABSENT} when there is no key
 * @param owner       the token that wrote the state, or {@code null} when absent
 * @param attempts    how many attempts claimed the id so far, 0 when absent
 * @param fingerprint the fingerprint kept with the claim, or {@code null}
 * @param completedAt when the claim was completed, or {@code null} unless {@code COMPLETED}
 * @param timeLeft    how long the key lives on; {@link Duration#ZERO} when absent
 */
public record ClaimSnapshot(
        ClaimState state, String owner, int attempts, String fingerprint, Instant completedAt, Duration timeLeft) {

    /** The snapshot of a key that does not exist. */
    public static final ClaimSnapshot ABSENT = new ClaimSnapshot(ClaimState.ABSENT, null, 0, null, null, Duration.ZERO);

    /**
     * Checks the fields.
     *
     * @throws NullPointerException when state or timeLeft is null
     */
    public ClaimSnapshot {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(timeLeft, "timeLeft");
    }
}
