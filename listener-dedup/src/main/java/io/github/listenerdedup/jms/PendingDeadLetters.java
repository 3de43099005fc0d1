package io.github.listenerdedup.jms;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The messages whose last allowed attempt failed and was rolled back, by {@code JMSMessageID}, each with the reason
 * its redelivery is to be copied to the dead-letter queue with. The deduplicator has discarded their claims by
 * then, so this is all that stops a redelivery from running as a first attempt: it is kept in memory, shared by the
 * consumers of one decorator, for one lease. A redelivery that reaches another decorator, or comes later, runs the
 * listener again.
 */
final class PendingDeadLetters {

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final long keepNanos;
    private final LongSupplier nanoTime;

    /**
     * Creates an empty set.
     *
     * @param keepFor  how long a message is remembered
     * @param nanoTime the clock
     */
    PendingDeadLetters(Duration keepFor, LongSupplier nanoTime) {
        this.keepNanos = keepFor.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * Remembers a message whose redelivery is to be dead-lettered, and forgets those kept too long.
     *
     * @param messageId the message's {@code JMSMessageID}
     * @param reason    the reason for the dead-letter copy
     */
    void add(String messageId, String reason) {
        long now = nanoTime.getAsLong();
        pending.values().removeIf(entry -> entry.isExpired(now));
        pending.put(messageId, new Pending(reason, now + keepNanos));
    }

    /**
     * Takes the reason of a redelivered message out of the set.
     *
     * @param messageId the message's {@code JMSMessageID}, may be null
     * @return the reason to dead-letter it with, or {@code null} when it is to be handled as usual
     */
    String take(String messageId) {
        if (messageId == null || pending.isEmpty()) {
            return null;
        }
        Pending entry = pending.remove(messageId);
        return entry == null || entry.isExpired(nanoTime.getAsLong()) ? null : entry.reason();
    }

    private record Pending(String reason, long deadline) {

        boolean isExpired(long now) {
            return now - deadline > 0;
        }
    }
}
