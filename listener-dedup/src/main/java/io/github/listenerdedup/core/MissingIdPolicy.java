package io.github.listenerdedup.core;

/**
 * What happens to a delivery whose id is missing, blank, too long or unreadable. The default is {@link #REJECT}.
 * An id is never invented per delivery.
 */
public enum MissingIdPolicy {

    /** Reject the delivery to the dead-letter path without running the handler, logged at ERROR. The default. */
    REJECT,

    /** Run the handler without deduplication. */
    PROCESS,

    /** Use the broker's message id instead ({@code message_id} in AMQP, {@code JMSMessageID} in JMS); reject when
     * that is unusable too. */
    MESSAGE_ID
}
