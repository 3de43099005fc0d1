package io.github.listenerdedup.store.redis;

import io.github.listenerdedup.core.ClaimSnapshot;
import io.github.listenerdedup.core.ClaimState;
import java.time.Duration;
import java.time.Instant;

/**
 * One claim as the store keeps it in a Redis string, format {@value #FORMAT}:
 * {@code 1|state|owner|attempts|completedAtMillis[|fingerprint]}, where state is {@code I} (in progress),
 * {@code R} (released) or {@code C} (completed), completedAtMillis is empty unless completed, and the fingerprint
 * field is there only when a fingerprint was given (it comes last, so it may contain {@code |}).
 *
 * <p>The scripts write the values; this record reads them back for answers and snapshots.
 *
 * @param state       the state
 * @param owner       the token that wrote the state
 * @param attempts    how many attempts claimed the id so far
 * @param completedAt when the claim was completed, or {@code null}
 * @param fingerprint the fingerprint kept with the claim, or {@code null}
 */
record ClaimValue(ClaimState state, String owner, int attempts, Instant completedAt, String fingerprint) {

    /** The format version this release writes and reads, the first field of every value. */
    static final String FORMAT = "1";

    private static final char SEPARATOR = '|';
    private static final int FIXED_FIELDS = 5;

    /**
     * Reads a value.
     *
     * @param text the value as stored
     * @return the claim
     * @throws IllegalArgumentException when the text is not a claim of this format
     */
    static ClaimValue parse(String text) {
        String[] fields = text.split("\\" + SEPARATOR, FIXED_FIELDS + 1);
        if (fields.length < FIXED_FIELDS || !FORMAT.equals(fields[0]) || fields[2].isEmpty()) {
            throw new IllegalArgumentException("not a claim of format " + FORMAT);
        }
        try {
            Instant completedAt = fields[4].isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(fields[4]));
            String fingerprint = fields.length > FIXED_FIELDS ? fields[FIXED_FIELDS] : null;
            return new ClaimValue(state(fields[1]), fields[2], Integer.parseInt(fields[3]), completedAt, fingerprint);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a claim of format " + FORMAT + ": " + e.getMessage(), e);
        }
    }

    /**
     * The last field of a value, as the claim script appends it.
     *
     * @param fingerprint the fingerprint, or {@code null}
     * @return an empty string without a fingerprint, else the separator and the fingerprint
     */
    static String fingerprintField(String fingerprint) {
        return fingerprint == null ? "" : SEPARATOR + fingerprint;
    }

    /**
     * The claim as operators see it.
     *
     * @param timeLeft how long the key lives on
     * @return the snapshot
     */
    ClaimSnapshot snapshot(Duration timeLeft) {
        return new ClaimSnapshot(state, owner, attempts, fingerprint, completedAt, timeLeft);
    }

    private static ClaimState state(String code) {
        return switch (code) {
            case "I" -> ClaimState.IN_PROGRESS;
            case "R" -> ClaimState.RELEASED;
            case "C" -> ClaimState.COMPLETED;
            default -> throw new IllegalArgumentException(
                    "not a claim of format " + FORMAT + ": unknown state '" + code + "'");
        };
    }
}
