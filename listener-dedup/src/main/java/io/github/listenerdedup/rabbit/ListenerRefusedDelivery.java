package io.github.listenerdedup.rabbit;

/**
 * Stands for a listener that nacked or rejected its own delivery instead of throwing, so that deduplication
 * releases the claim rather than completing it.
 */
final class ListenerRefusedDelivery extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ListenerRefusedDelivery(SettlingChannel.Settlement settlement) {
        super("the listener " + (settlement.kind() == SettlingChannel.Kind.REJECT ? "rejected" : "nacked")
                + " its own delivery (requeue " + settlement.requeue() + ")", null, false, false);
    }
}
