package io.github.listenerdedup.rabbit;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.aopalliance.aop.Advice;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.util.ErrorHandler;

/**
 * What the advice needs to know of the container it is installed on, read when it is needed so that settings
 * changed after installation count. Two of them Spring AMQP keeps to subclasses (the advice chain, and whether a
 * rejected delivery is requeued by default); they are read through their protected getters.
 */
final class ContainerView {

    private static final Method GET_ADVICE_CHAIN = protectedGetter("getAdviceChain");
    private static final Method IS_DEFAULT_REQUEUE_REJECTED = protectedGetter("isDefaultRequeueRejected");

    private final AbstractMessageListenerContainer container;
    private final String name;

    ContainerView(AbstractMessageListenerContainer container, String name) {
        this.container = container;
        this.name = name;
    }

    /** @return the listener's name for log lines and messages */
    String name() {
        return name;
    }

    /** @return whether the listener acknowledges its deliveries itself */
    boolean isManualAck() {
        return container.getAcknowledgeMode() == AcknowledgeMode.MANUAL;
    }

    /** @return whether the container requeues a failed delivery unless the failure says otherwise */
    boolean requeuesRejected() {
        Object requeue = call(IS_DEFAULT_REQUEUE_REJECTED, container);
        return !(requeue instanceof Boolean value) || value;
    }

    /** @return the container's error handler, or {@code null} */
    ErrorHandler errorHandler() {
        return container.getErrorHandler();
    }

    /**
     * The advice chain a container holds now.
     *
     * @param container the container
     * @param name      its name, for the message when it cannot be read
     * @return the advices, never null
     */
    static Advice[] adviceChain(AbstractMessageListenerContainer container, String name) {
        if (GET_ADVICE_CHAIN == null) {
            throw InstallationCheck.refusal(name, "the container's advice chain cannot be read through "
                    + "AbstractMessageListenerContainer.getAdviceChain() in this spring-rabbit version, so "
                    + "deduplication could only replace it");
        }
        Advice[] chain = (Advice[]) call(GET_ADVICE_CHAIN, container);
        return chain == null ? new Advice[0] : chain.clone();
    }

    private static Method protectedGetter(String name) {
        try {
            Method method = AbstractMessageListenerContainer.class.getDeclaredMethod(name);
            method.setAccessible(true);
            return method;
        } catch (NoSuchMethodException | RuntimeException e) {
            return null;
        }
    }

    private static Object call(Method getter, AbstractMessageListenerContainer container) {
        if (getter == null) {
            return null;
        }
        try {
            return getter.invoke(container);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("Could not call " + getter.getName() + " on the listener container", e);
        }
    }
}
