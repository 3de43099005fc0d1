package io.github.listenerdedup.demo;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The handler's own records: how often each event was handled to the end, and which first tries were made to
 * fail. The verdict is read from here, never from the library's counters.
 */
public final class HandlingLedger {

    private final ConcurrentMap<String, AtomicInteger> handled = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Boolean> failed = new ConcurrentHashMap<>();

    /**
     * Records that an event was handled to the end.
     *
     * @param eventId the event
     */
    public void recordHandled(String eventId) {
        handled.computeIfAbsent(eventId, id -> new AtomicInteger()).incrementAndGet();
    }

    /**
     * Records a failed try of an event, unless one was recorded before.
     *
     * @param eventId the event
     * @return {@code true} when this is the event's first recorded failure
     */
    public boolean recordFirstFailure(String eventId) {
        return failed.putIfAbsent(eventId, Boolean.TRUE) == null;
    }

    /** @return for each event handled, how many times, ordered by id */
    public Map<String, Integer> handledCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        handled.forEach((id, count) -> counts.put(id, count.get()));
        return counts;
    }

    /** @return how many distinct events were handled at least once */
    public int distinctHandled() {
        return handled.size();
    }

    /** @return how many handler runs succeeded, over all events */
    public int totalHandled() {
        return handled.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** @return how many first tries were made to fail */
    public int failuresInjected() {
        return failed.size();
    }

    /** @return how many events whose first try failed were handled afterwards */
    public int failuresRecovered() {
        return (int) failed.keySet().stream().filter(handled::containsKey).count();
    }
}
