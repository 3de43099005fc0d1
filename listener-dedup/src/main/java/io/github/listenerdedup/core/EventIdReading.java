package io.github.listenerdedup.core;

/**
 * The result of reading an event id from a delivery: the id, or why there is none.
 *
 * @param status what was found
 * @param id     the id when {@link Status#PRESENT}, otherwise {@code null}
 * @param reason why there is no usable id, for the log line; {@code null} when present
 */
public record EventIdReading(Status status, String id, String reason) {

    /** What was found where the id should be. */
    public enum Status {
        /** A usable id. */
        PRESENT,
        /** No value at all. */
        MISSING,
        /** An empty or whitespace-only value. */
        BLANK,
        /** A value longer than the maximum id length. */
        TOO_LONG,
        /** A value of a type that has no text form, or bytes that are not valid UTF-8. */
        UNREADABLE
    }

    /**
     * A usable id.
     *
     * @param id the id
     * @return the reading
     */
    public static EventIdReading present(String id) {
        return new EventIdReading(Status.PRESENT, id, null);
    }

    /**
     * No usable id.
     *
     * @param status why
     * @param reason a description for the log line
     * @return the reading
     */
    public static EventIdReading unusable(Status status, String reason) {
        return new EventIdReading(status, null, reason);
    }

    /**
     * Whether the id can be claimed.
     *
     * @return {@code true} for {@link Status#PRESENT}
     */
    public boolean isPresent() {
        return status == Status.PRESENT;
    }
}
