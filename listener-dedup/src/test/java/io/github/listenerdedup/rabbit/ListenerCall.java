package io.github.listenerdedup.rabbit;

import com.rabbitmq.client.Channel;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.aopalliance.intercept.MethodInvocation;

/**
 * A container's call to its listener, as an advice sees it, with a listener that counts its runs, records what it
 * was handed, and may act on the channel or throw.
 */
final class ListenerCall implements MethodInvocation {

    /** The shape of the container's call. */
    interface Delegate {
        void invokeListener(Channel channel, Object data);

        void somethingElse(Channel channel, Object data);
    }

    /** What the listener does with what it is handed. */
    @FunctionalInterface
    interface Listener {
        void onData(Channel channel, Object data) throws Throwable;
    }

    private final Method method;
    private final Object[] arguments;
    private final Listener listener;
    private final AtomicInteger runs = new AtomicInteger();
    private final List<Object> handed = new ArrayList<>();

    private ListenerCall(String methodName, Channel channel, Object data, Listener listener) {
        this.method = methodNamed(methodName);
        this.arguments = new Object[] {channel, data};
        this.listener = listener;
    }

    static ListenerCall succeeding(Object data) {
        return new ListenerCall("invokeListener", new RecordingChannel().channel(), data, (channel, handed) -> { });
    }

    static ListenerCall failing(Object data, Throwable failure) {
        return new ListenerCall("invokeListener", new RecordingChannel().channel(), data, (channel, handed) -> {
            throw failure;
        });
    }

    static ListenerCall otherMethod(Object data) {
        return new ListenerCall("somethingElse", null, data, (channel, handed) -> { });
    }

    static ListenerCall on(Channel channel, Object data, Listener listener) {
        return new ListenerCall("invokeListener", channel, data, listener);
    }

    int runs() {
        return runs.get();
    }

    /** @return what the listener was handed on each run */
    List<Object> handed() {
        return handed;
    }

    @Override
    public Method getMethod() {
        return method;
    }

    @Override
    public Object[] getArguments() {
        return arguments;
    }

    @Override
    public Object proceed() throws Throwable {
        runs.incrementAndGet();
        handed.add(arguments[1]);
        listener.onData((Channel) arguments[0], arguments[1]);
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
