package io.github.listenerdedup.it.jms;

import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.core.OutcomeListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the outcomes a deduplicator reports, so that a test can wait for "the redelivery was skipped".
 */
public final class OutcomeCounts implements OutcomeListener {

    private final Map<DeliveryOutcome, AtomicInteger> counts = new ConcurrentHashMap<>();

    @Override
    public void onOutcome(String group, String eventId, DeliveryOutcome outcome) {
        counts.computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet();
    }

    /** @return how often the outcome was reported */
    public int of(DeliveryOutcome outcome) {
        AtomicInteger count = counts.get(outcome);
        return count == null ? 0 : count.get();
    }
}
