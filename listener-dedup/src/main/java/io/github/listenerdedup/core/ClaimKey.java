package io.github.listenerdedup.core;

import java.util.Objects;

/**
 * The store key of one event id in one consumer group: {@code <prefix>:<group>:<eventId>}.
 *
 * <p>Prefix and group may not contain {@code :}, so two different (group, id) pairs never render to the same key.
 * The event id is kept exactly as given: never truncated, lower-cased or hashed.
 *
 * @param prefix  first part of the key, for example {@code dedup}
 * @param group   the consumer group, for example {@code billing}
 * @param eventId the event id, as read from the delivery
 */
public record ClaimKey(String prefix, String group, String eventId) {

    /** The separator between the parts of a rendered key. */
    public static final char SEPARATOR = ':';

    /**
     * Checks the parts.
     *
     * @throws IllegalArgumentException when a part is empty or prefix or group contains {@code :}
     */
    public ClaimKey {
        requireKeyPart("prefix", prefix);
        requireKeyPart("group", group);
        Objects.requireNonNull(eventId, "eventId");
        if (eventId.isEmpty()) {
            throw new IllegalArgumentException("eventId must not be empty");
        }
    }

    /**
     * Checks that a prefix or group can be part of a key.
     *
     * @param field the name of the setting, used in the message
     * @param value the value to check
     * @return the value
     * @throws IllegalArgumentException naming the field, the rule and the value when it cannot
     */
    public static String requireKeyPart(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank, but was " + quote(value));
        }
        if (value.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException(field + " must not contain ':', but was " + quote(value));
        }
        return value;
    }

    /**
     * The key as the store keeps it.
     *
     * @return {@code prefix:group:eventId}
     */
    public String render() {
        return prefix + SEPARATOR + group + SEPARATOR + eventId;
    }

    @Override
    public String toString() {
        return LogText.escape(render());
    }

    private static String quote(String value) {
        return value == null ? "null" : "'" + value + "'";
    }
}
