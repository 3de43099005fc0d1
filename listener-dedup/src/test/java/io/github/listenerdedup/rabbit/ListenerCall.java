package io.github.listenerdedup.rabbit;

import com.rabbitmq.client.Channel;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicInteger;
import org.aopalliance.intercept.MethodInvocation;

/**
 * A container's call to its listener, as an advice sees it, with a listener that counts its runs and may throw.
 */
final class ListenerCall implements MethodInvocation {

    /** The shape of the container's call. */
    interface Delegate {
        void invokeListener(Channel channel, Object data);

        void somethingElse(Channel channel, Object data);
    }

    private final Method method;
    private final Object data;
    private final Throwable failure;
    private final AtomicInteger runs = new AtomicInteger();

    private ListenerCall(String methodName, Object data, Throwable failure) {
        this.method = methodNamed(methodName);
        this.data = data;
        this.failure = failure;
    }

    static ListenerCall succeeding(Object data) {
        return new ListenerCall("invokeListener", data, null);
    }

    static ListenerCall failing(Object data, Throwable failure) {
        return new ListenerCall("invokeListener", data, failure);
    }

    static ListenerCall otherMethod(Object data) {
        return new ListenerCall("somethingElse", data, null);
    }

    int runs() {
        return runs.get();
    }

    @Override
    public Method getMethod() {
        return method;
    }

    @Override
    public Object[] getArguments() {
        return new Object[] {null, data};
    }

    @Override
    public Object proceed() throws Throwable {
        runs.incrementAndGet();
        if (failure != null) {
            throw failure;
        }
        return "proceeded";
    }

    @Override
    public Object getThis() {
        return null;
    }

    @Override
    public AccessibleObject getStaticPart() {
        return method;
    }

    private static Method methodNamed(String name) {
        try {
            return Delegate.class.getMethod(name, Channel.class, Object.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }
}
