package io.github.listenerdedup.it;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts, per event id, how often a test handler started and how often it finished without throwing.
 */
public final class HandlerRuns {

    private final Map<String, AtomicInteger> started = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> succeeded = new ConcurrentHashMap<>();

    /**
     * Records a start.
     *
     * @param eventId the id, or {@code null} for a delivery without one
     * @return how often this id has started, this run included
     */
    public int started(String eventId) {
        return started.computeIfAbsent(String.valueOf(eventId), id -> new AtomicInteger()).incrementAndGet();
    }

    /**
     * Records a success.
     *
     * @param eventId the id
     */
    public void succeeded(String eventId) {
        succeeded.computeIfAbsent(String.valueOf(eventId), id -> new AtomicInteger()).incrementAndGet();
    }

    /** @return how often the handler started for the id */
    public int startsOf(String eventId) {
        AtomicInteger count = started.get(eventId);
        return count == null ? 0 : count.get();
    }

    /** @return how often the handler succeeded for the id */
    public int successesOf(String eventId) {
        AtomicInteger count = succeeded.get(eventId);
        return count == null ? 0 : count.get();
    }

    /** @return the ids that succeeded at least once */
    public Set<String> succeededIds() {
        return Set.copyOf(succeeded.keySet());
    }

    /** @return every start, over all ids */
    public int totalStarts() {
        return started.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** @return each id with its number of successes */
    public Map<String, Integer> successCounts() {
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        succeeded.forEach((id, count) -> counts.put(id, count.get()));
        return counts;
    }
}
