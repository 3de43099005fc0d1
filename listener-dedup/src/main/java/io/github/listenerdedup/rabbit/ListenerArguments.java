package io.github.listenerdedup.rabbit;

import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;

/**
 * Changes the arguments of the container's call to its listener for the rest of the advice chain: the channel
 * (argument 0) and the message or batch (argument 1).
 */
final class ListenerArguments {

    /** The position of the channel. */
    static final int CHANNEL = 0;
    /** The position of the message, or of the list of messages. */
    static final int DATA = 1;

    private ListenerArguments() {
    }

    static void set(MethodInvocation invocation, int position, Object value) {
        Object[] arguments = invocation.getArguments();
        arguments[position] = value;
        if (invocation instanceof ProxyMethodInvocation proxied) {
            proxied.setArguments(arguments);
        }
    }
}
