package io.github.listenerdedup.rabbit;

import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;

/**
 * Names a listener container for log lines and messages: its listener id (or bean name), else its queues.
 */
final class ListenerNames {

    /** The bean name Spring AMQP gives a container created outside an application context. */
    private static final String NO_BEAN_NAME = "not.a.Spring.bean";

    private ListenerNames() {
    }

    /**
     * The container's name.
     *
     * @param container the container
     * @return its listener id, else {@code queues [a, b]}, else its type and identity
     */
    static String of(AbstractMessageListenerContainer container) {
        String id = container.getListenerId();
        if (id != null && !id.isBlank() && !NO_BEAN_NAME.equals(id)) {
            return id;
        }
        String[] queues = container.getQueueNames();
        if (queues.length > 0) {
            return "queues " + String.join(", ", queues);
        }
        return container.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(container));
    }
}
