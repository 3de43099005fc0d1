package io.github.listenerdedup.core;

import java.util.List;
import java.util.Objects;

/**
 * What happened to the deliveries of one batch.
 *
 * @param items      one outcome per delivery, in the order of the batch
 * @param settlement how to settle the batch as a whole: the strongest settlement among its items, leaving out
 *                   those the listener settled apart
 *                   ({@link Settlement#REJECT}, then {@link Settlement#FAIL}, {@link Settlement#REQUEUE},
 *                   {@link Settlement#ACK})
 * @param failure    what the listener threw, or {@code null} when it returned
 */
public record BatchOutcome(List<ItemOutcome> items, Settlement settlement, Throwable failure) {

    /**
     * Checks the fields and copies the items.
     *
     * @throws NullPointerException when items or settlement is null
     */
    public BatchOutcome {
        items = List.copyOf(Objects.requireNonNull(items, "items"));
        Objects.requireNonNull(settlement, "settlement");
    }
}
