package io.github.listenerdedup.jms;

import jakarta.jms.Session;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The session a decorated listener is given for one delivery: a view of the consuming session that passes every
 * call on, and notes a {@code rollback()} or {@code recover()}, so that the decorator releases the claim of a
 * delivery the listener handed back itself instead of completing it. The container, or the plain decorator, keeps
 * the session itself: its own commit, rollback and acknowledgement never pass through the view.
 *
 * <p>The view implements the {@code jakarta.jms} interfaces of the session ({@code Session}, {@code QueueSession},
 * {@code TopicSession}, ...), not the provider's class: a listener that casts it to {@code ActiveMQSession} fails.
 * It is made on the first call of {@link #view()}, so a listener that never asks for the session costs nothing.
 */
final class ListenerSession implements InvocationHandler {

    private final Session session;
    private Session view;
    private volatile String handBack;

    ListenerSession(Session session) {
        this.session = session;
    }

    /** @return the view to hand to the listener */
    Session view() {
        if (view == null) {
            Class<?>[] interfaces = jmsInterfacesOf(session.getClass());
            view = (Session) Proxy.newProxyInstance(session.getClass().getClassLoader(), interfaces, this);
        }
        return view;
    }

    /** @return {@code rollback()} or {@code recover()} when the listener called it through the view, else null */
    String handBack() {
        return handBack;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        return switch (method.getName()) {
            case "equals" -> args != null && args.length == 1 && proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            case "toString" -> "listener view of " + session;
            default -> {
                noteHandBack(method);
                yield forward(method, args);
            }
        };
    }

    private void noteHandBack(Method method) {
        boolean handsBack = method.getName().equals("rollback") || method.getName().equals("recover");
        if (handsBack && method.getParameterCount() == 0) {
            handBack = method.getName() + "()";
        }
    }

    private Object forward(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(session, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Class<?>[] jmsInterfacesOf(Class<?> type) {
        Set<Class<?>> interfaces = new LinkedHashSet<>();
        interfaces.add(Session.class);
        collectJmsInterfaces(type, interfaces);
        return interfaces.toArray(Class<?>[]::new);
    }

    private static void collectJmsInterfaces(Class<?> type, Set<Class<?>> interfaces) {
        if (type == null) {
            return;
        }
        for (Class<?> implemented : type.getInterfaces()) {
            if (Session.class.isAssignableFrom(implemented)
                    && implemented.getPackageName().equals(Session.class.getPackageName())) {
                interfaces.add(implemented);
            }
            collectJmsInterfaces(implemented, interfaces);
        }
        collectJmsInterfaces(type.getSuperclass(), interfaces);
    }
}
