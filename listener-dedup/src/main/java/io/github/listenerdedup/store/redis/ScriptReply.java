package io.github.listenerdedup.store.redis;

import java.time.Duration;
import java.util.List;

/**
 * What every claim script answers, in one reply: whether the operation took effect, the value the key holds
 * afterwards, and its time left.
 *
 * @param done     whether the operation took effect (or had already, for the same token)
 * @param value    the value the key holds, or {@code null} when there is no key
 * @param timeLeft the key's time left; {@link Duration#ZERO} when there is no key or no expiry
 */
record ScriptReply(boolean done, String value, Duration timeLeft) {

    private static final int SIZE = 3;

    /**
     * Reads a script's raw reply: {@code {outcome, value or '', pttl}}.
     *
     * @param raw the reply as Lettuce decoded it
     * @return the reply
     * @throws IllegalArgumentException when the reply does not have that shape
     */
    static ScriptReply of(List<Object> raw) {
        if (raw == null || raw.size() != SIZE || !(raw.get(0) instanceof Long outcome)
                || !(raw.get(1) instanceof String value) || !(raw.get(2) instanceof Long pttl)) {
            throw new IllegalArgumentException("unexpected script reply " + raw);
        }
        return new ScriptReply(outcome == 1L, value.isEmpty() ? null : value, Duration.ofMillis(Math.max(0L, pttl)));
    }

    /** @return whether the key exists */
    boolean hasValue() {
        return value != null;
    }
}
