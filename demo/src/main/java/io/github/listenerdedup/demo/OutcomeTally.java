package io.github.listenerdedup.demo;

import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.core.OutcomeListener;
import io.github.listenerdedup.core.Settlement;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Counts the library's outcomes, for the summary and to know when every delivery is settled. The verdict does not
 * rely on it.
 */
public final class OutcomeTally implements OutcomeListener {

    private final AtomicIntegerArray counts = new AtomicIntegerArray(DeliveryOutcome.values().length);

    @Override
    public void onOutcome(String group, String eventId, DeliveryOutcome outcome) {
        counts.incrementAndGet(outcome.ordinal());
    }

    /**
     * How often an outcome was reported.
     *
     * @param outcome the outcome
     * @return the count
     */
    public int count(DeliveryOutcome outcome) {
        return counts.get(outcome.ordinal());
    }

    /** @return how many deliveries ended for good: acknowledged or rejected, not to be redelivered */
    public int settled() {
        int settled = 0;
        for (DeliveryOutcome outcome : DeliveryOutcome.values()) {
            Settlement settlement = outcome.settlement();
            if (settlement == Settlement.ACK || settlement == Settlement.REJECT) {
                settled += count(outcome);
            }
        }
        return settled;
    }

    /** @return how many deliveries were requeued, for an in-flight claim or an unreachable store */
    public int requeued() {
        int requeued = 0;
        for (DeliveryOutcome outcome : DeliveryOutcome.values()) {
            if (outcome.settlement() == Settlement.REQUEUE) {
                requeued += count(outcome);
            }
        }
        return requeued;
    }

    /** @return every outcome reported at least once, with its count */
    public Map<DeliveryOutcome, Integer> nonZero() {
        Map<DeliveryOutcome, Integer> seen = new EnumMap<>(DeliveryOutcome.class);
        for (DeliveryOutcome outcome : DeliveryOutcome.values()) {
            if (count(outcome) > 0) {
                seen.put(outcome, count(outcome));
            }
        }
        return seen;
    }
}
