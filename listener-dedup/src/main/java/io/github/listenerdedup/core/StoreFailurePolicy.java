package io.github.listenerdedup.core;

/**
 * What happens to a delivery when the claim store cannot be reached. The default is {@link #FAIL_CLOSED}.
 */
public enum StoreFailurePolicy {

    /** Do not run the handler: hold the delivery with backoff up to the in-flight wait, then requeue it. Nothing is
     * remembered locally. The default. */
    FAIL_CLOSED,

    /** Run the handler without a claim, logged at WARN: a duplicate may then run twice. */
    FAIL_OPEN
}
