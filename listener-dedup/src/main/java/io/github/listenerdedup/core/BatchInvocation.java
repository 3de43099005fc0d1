package io.github.listenerdedup.core;

import java.util.List;
import java.util.Map;

/**
 * The rest of a batch listener's work, as the broker adapter sees it: the listener is run on the deliveries that
 * are left once duplicates and undeliverable ones are taken out.
 */
@FunctionalInterface
public interface BatchInvocation {

    /**
     * Runs the listener on some deliveries of the batch.
     *
     * @param positions the positions, in the batch, of the deliveries to hand the listener, ascending; never empty
     * @return the failures the listener reported for single deliveries, by position; the deliveries left out
     *         succeeded. Each such claim is released. When the batch is settled as a whole
     *         ({@link BatchSettlement#WHOLE_BATCH}), a reported failure means that the listener settled that
     *         delivery apart from the batch (as Spring AMQP's batch adapter rejects a message it cannot convert),
     *         and the rest of the batch is settled without it.
     * @throws Throwable whatever the listener throws: every delivery it was given failed
     */
    Map<Integer, ItemFailure> proceed(List<Integer> positions) throws Throwable;
}
