package io.github.listenerdedup.rabbit;

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
     * @param adviceChain the advices that will run before deduplication
     * @throws IllegalStateException naming the first setting that is not supported
     */
    static void requireSupported(AbstractMessageListenerContainer container, String name, Advice[] adviceChain) {
        if (container.isRunning() || container.isActive()) {
            throw refusal(name, "the container must not be running, but it is: install deduplication before the "
                    + "container starts");
        }
        MessageListener listener = container.getMessageListener();
        if (listener == null) {
            throw refusal(name, "messageListener must be set before installing, but was null: set the listener "
                    + "first, so that its kind can be checked");
        }
        requireSingleMessages(container, name, listener);
        requireAutoAcknowledge(name, container.getAcknowledgeMode());
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

    private static void requireSingleMessages(AbstractMessageListenerContainer container, String name,
            MessageListener listener) {
        if (listener.isAsyncReplies()) {
            throw refusal(name, "asyncReplies must be false, but was true: the listener returns a CompletableFuture "
                    + "or Mono and is acknowledged when that completes, after the advice has returned, which is not "
                    + "supported yet");
        }
        if (container instanceof SimpleMessageListenerContainer simple && simple.isConsumerBatchEnabled()) {
            throw refusal(name, "consumerBatchEnabled must be false, but was true: consumer batches are not "
                    + "supported yet");
        }
        if (listener instanceof BatchMessageListener || listener instanceof ChannelAwareBatchMessageListener) {
            throw refusal(name, "the message listener must take one message at a time, but was a batch listener ("
                    + listener.getClass().getName() + "): batch listeners are not supported yet");
        }
    }

    private static void requireAutoAcknowledge(String name, AcknowledgeMode mode) {
        if (mode == AcknowledgeMode.NONE) {
            throw refusal(name, "acknowledgeMode must be AUTO, but was NONE: the broker forgets a message as soon "
                    + "as it delivers it, so a failed attempt could never be retried");
        }
        if (mode == AcknowledgeMode.MANUAL) {
            throw refusal(name, "acknowledgeMode must be AUTO, but was MANUAL: manual acknowledgement is not "
                    + "supported yet");
        }
    }

    private static void requireNoOtherDeduplication(String name, Advice[] adviceChain) {
        for (int i = 0; i < adviceChain.length; i++) {
            if (adviceChain[i] == null) {
                throw refusal(name, "adviceChain must not hold null, but held null at position " + i);
            }
            if (adviceChain[i] instanceof DeduplicatingAdvice) {
                throw refusal(name, "adviceChain must not hold another DeduplicatingAdvice, but held one at "
                        + "position " + i);
            }
        }
    }
}
