package io.github.listenerdedup.rabbit;

import java.util.List;
import org.aopalliance.aop.Advice;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.BatchMessageListener;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;

/**
 * The container settings deduplication cannot honour, each refused with a message that names the setting, the rule
 * and the value found.
 */
final class InstallationCheck {

    private InstallationCheck() {
    }

    /**
     * Refuses a container whose settings the advice cannot honour.
     *
     * @param container   the container
     * @param name        the listener's name for the message
     * @param adviceChain the advices the chain will hold besides deduplication
     * @throws IllegalStateException naming the first setting that is not supported
     */
    static void requireSupported(AbstractMessageListenerContainer container, String name, List<Advice> adviceChain) {
        if (container.isRunning() || container.isActive()) {
            throw refusal(name, "the container must not be running, but it is: install deduplication before the "
                    + "container starts");
        }
        MessageListener listener = container.getMessageListener();
        if (listener == null) {
            throw refusal(name, "messageListener must be set before installing, but was null: set the listener "
                    + "first, so that its kind can be checked");
        }
        requireSynchronousListener(name, listener);
        requireBatchListenerForConsumerBatches(container, name, listener);
        requireAcknowledgement(name, container.getAcknowledgeMode());
        requireNoOtherDeduplication(name, adviceChain);
    }

    /**
     * The exception for a refused installation.
     *
     * @param name   the listener's name
     * @param reason the setting, the rule and the value
     * @return the exception
     */
    static IllegalStateException refusal(String name, String reason) {
        return new IllegalStateException("Cannot install deduplication on listener '" + name + "': " + reason);
    }

    private static void requireSynchronousListener(String name, MessageListener listener) {
        if (listener.isAsyncReplies()) {
            throw refusal(name, "asyncReplies must be false, but was true: the listener returns a CompletableFuture "
                    + "or Mono and is acknowledged when that completes, after the advice has returned, which is not "
                    + "supported yet");
        }
    }

    private static void requireBatchListenerForConsumerBatches(AbstractMessageListenerContainer container,
            String name, MessageListener listener) {
        boolean batchListener = listener instanceof BatchMessageListener
                || listener instanceof ChannelAwareBatchMessageListener;
        if (container instanceof SimpleMessageListenerContainer simple && simple.isConsumerBatchEnabled()
                && !batchListener) {
            throw refusal(name, "the message listener must take batches when consumerBatchEnabled is true, but was "
                    + listener.getClass().getName() + ": implement BatchMessageListener or "
                    + "ChannelAwareBatchMessageListener");
        }
    }

    private static void requireAcknowledgement(String name, AcknowledgeMode mode) {
        if (mode == AcknowledgeMode.NONE) {
            throw refusal(name, "acknowledgeMode must be AUTO or MANUAL, but was NONE: the broker forgets a message "
                    + "as soon as it delivers it, so a failed attempt could never be retried");
        }
    }

    private static void requireNoOtherDeduplication(String name, List<Advice> adviceChain) {
        for (int i = 0; i < adviceChain.size(); i++) {
            if (adviceChain.get(i) == null) {
                throw refusal(name, "adviceChain must not hold null, but held null at position " + i);
            }
            if (adviceChain.get(i) instanceof DeduplicatingAdvice) {
                throw refusal(name, "adviceChain must not hold another DeduplicatingAdvice, but held one at "
                        + "position " + i);
            }
        }
    }
}
