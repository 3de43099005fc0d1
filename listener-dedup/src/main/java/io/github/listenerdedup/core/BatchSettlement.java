package io.github.listenerdedup.core;

/**
 * How the deliveries of one batch are settled, which decides what deduplication may do with each of them.
 */
public enum BatchSettlement {

    /**
     * The broker adapter settles the batch as a whole, as Spring AMQP's container does in AUTO acknowledge mode:
     * duplicates leave the batch before the listener runs, and anything that would settle one delivery otherwise
     * (a requeue, a rejection, a failure) settles every delivery of the batch that way. Only a delivery the
     * listener settled apart itself, and reported failed, leaves the batch: its claim is released.
     */
    WHOLE_BATCH,

    /**
     * The broker adapter settles each delivery on its own (manual acknowledgement): each gets its own outcome, and
     * the listener may report a failure per delivery.
     */
    PER_DELIVERY
}
