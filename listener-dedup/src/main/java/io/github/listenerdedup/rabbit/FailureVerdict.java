package io.github.listenerdedup.rabbit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.amqp.rabbit.listener.support.ContainerUtils;
import org.springframework.util.ErrorHandler;

/**
 * How a failed delivery is settled under manual acknowledgement, decided as the container decides it under AUTO:
 * the container's error handler sees the failure first (the default one turns fatal failures, such as a message
 * that cannot be converted, into a rejection), then an {@code AmqpRejectAndDontRequeueException} rejects, an
 * {@code ImmediateRequeueAmqpException} requeues, an {@code ImmediateAcknowledgeAmqpException} acknowledges, and
 * anything else is requeued as {@code defaultRequeueRejected} says.
 *
 * @param ack     acknowledge the failed delivery
 * @param requeue when not acknowledged, nack it with requeue
 */
record FailureVerdict(boolean ack, boolean requeue) {

    private static final Log CONTAINER_LOG = LogFactory.getLog(FailureVerdict.class);

    /**
     * Decides a failure.
     *
     * @param container the container's settings
     * @param failure   what the listener threw or reported
     * @return the verdict
     */
    static FailureVerdict of(ContainerView container, Throwable failure) {
        Throwable decisive = failure;
        ErrorHandler handler = container.errorHandler();
        if (handler != null) {
            try {
                handler.handleError(failure);
            } catch (RuntimeException thrown) {
                decisive = thrown;
            }
        }
        if (ContainerUtils.isImmediateAcknowledge(decisive)) {
            return new FailureVerdict(true, false);
        }
        return new FailureVerdict(false,
                ContainerUtils.shouldRequeue(container.requeuesRejected(), decisive, CONTAINER_LOG));
    }

    /** @return what happens to the delivery, for log lines */
    String describe() {
        if (ack) {
            return "acknowledged as the error handler asked";
        }
        return requeue ? "nacked with requeue" : "nacked without requeue, to the dead-letter exchange";
    }
}
