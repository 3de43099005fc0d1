package io.github.listenerdedup.rabbit;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.ClassUtils;

/**
 * The channel a listener is handed in MANUAL acknowledge mode while deduplication decides its deliveries. The
 * listener's acks, nacks and rejects of those deliveries are recorded, not sent, so that deduplication can complete
 * or release each claim first and then send exactly one settlement per delivery tag. Every other call, and
 * settlements of other delivery tags, go straight to the container's channel.
 *
 * <p>Once deduplication has decided, a settlement naming a tag already settled is dropped with a WARN (the broker
 * would close the channel for an unknown delivery tag); one naming a tag left to the listener goes through once.
 */
final class SettlingChannel implements InvocationHandler {

    private static final Logger log = LoggerFactory.getLogger(SettlingChannel.class);

    /** A settlement as the listener asked for it. */
    record Settlement(Kind kind, boolean multiple, boolean requeue) {

        /** @return whether the listener gave the delivery up rather than acknowledging it */
        boolean refuses() {
            return kind != Kind.ACK;
        }
    }

    /** The three ways to settle a delivery. */
    enum Kind { ACK, NACK, REJECT }

    private final Channel target;
    private final String listener;
    private final NavigableSet<Long> tags;
    private final Map<Long, Settlement> recorded = new HashMap<>();
    private final Set<Long> settled = new HashSet<>();
    private final Channel proxy;
    private boolean decided;

    private SettlingChannel(Channel target, Collection<Long> tags, String listener) {
        this.target = target;
        this.listener = listener;
        this.tags = new TreeSet<>(tags);
        Class<?>[] interfaces = ClassUtils.getAllInterfacesForClass(target.getClass(),
                target.getClass().getClassLoader());
        this.proxy = (Channel) Proxy.newProxyInstance(target.getClass().getClassLoader(), interfaces, this);
    }

    /**
     * Wraps the container's channel for the deliveries being decided.
     *
     * @param target   the container's channel
     * @param tags     the delivery tags being decided
     * @param listener the listener's name, for log lines
     * @return the recorder; hand {@link #channel()} to the listener
     */
    static SettlingChannel around(Channel target, Collection<Long> tags, String listener) {
        return new SettlingChannel(target, tags, listener);
    }

    /** @return the channel to hand the listener */
    Channel channel() {
        return proxy;
    }

    /** @return what the listener asked for the tag, or {@code null} */
    synchronized Settlement recorded(long tag) {
        return recorded.get(tag);
    }

    /** Sends what the listener asked for the tag, as it asked. */
    synchronized void sendRecorded(long tag) {
        Settlement settlement = recorded.get(tag);
        send(tag, settlement.kind(), settlement.multiple(), settlement.requeue());
    }

    /** Acknowledges one delivery. */
    synchronized void ack(long tag) {
        send(tag, Kind.ACK, false, false);
    }

    /** Nacks one delivery, with or without requeue. */
    synchronized void nack(long tag, boolean requeue) {
        send(tag, Kind.NACK, false, requeue);
    }

    /** Ends the decision: from now on the listener's settlements go through, once per tag. */
    synchronized void decided() {
        decided = true;
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (name.equals("basicAck") && method.getParameterCount() == 2) {
            return listenerSettles((Long) args[0], new Settlement(Kind.ACK, (Boolean) args[1], false));
        }
        if (name.equals("basicNack") && method.getParameterCount() == 3) {
            return listenerSettles((Long) args[0], new Settlement(Kind.NACK, (Boolean) args[1], (Boolean) args[2]));
        }
        if (name.equals("basicReject") && method.getParameterCount() == 2) {
            return listenerSettles((Long) args[0], new Settlement(Kind.REJECT, false, (Boolean) args[1]));
        }
        if (method.getDeclaringClass() == Object.class) {
            return objectMethod(self, name, args);
        }
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private synchronized Object listenerSettles(long tag, Settlement settlement) throws IOException {
        Collection<Long> covered = settlement.multiple() ? tags.headSet(tag, true) : tags.contains(tag)
                ? Set.of(tag) : Set.of();
        if (covered.isEmpty()) {
            sendToChannel(tag, settlement);
            return null;
        }
        if (decided) {
            send(tag, settlement.kind(), settlement.multiple(), settlement.requeue());
            return null;
        }
        for (Long each : covered) {
            if (recorded.putIfAbsent(each, settlement) != null) {
                log.warn("Listener '{}' settled delivery {} a second time ({}); only its first settlement counts",
                        listener, each, settlement.kind());
            }
        }
        return null;
    }

    private void send(long tag, Kind kind, boolean multiple, boolean requeue) {
        if (settled.contains(tag)) {
            log.warn("Dropped a second settlement ({}) of delivery {} on listener '{}': it was settled already",
                    kind, tag, listener);
            return;
        }
        try {
            sendToChannel(tag, new Settlement(kind, multiple, requeue));
        } catch (IOException | RuntimeException e) {
            log.warn("Could not send {} for delivery {} on listener '{}': {}; the broker redelivers it when the "
                    + "channel closes", kind, tag, listener, e.toString());
        }
        settled.add(tag);
        if (multiple) {
            settled.addAll(tags.headSet(tag, true));
        }
    }

    private void sendToChannel(long tag, Settlement settlement) throws IOException {
        switch (settlement.kind()) {
            case ACK -> target.basicAck(tag, settlement.multiple());
            case NACK -> target.basicNack(tag, settlement.multiple(), settlement.requeue());
            default -> target.basicReject(tag, settlement.requeue());
        }
    }

    private Object objectMethod(Object self, String name, Object[] args) {
        return switch (name) {
            case "equals" -> self == args[0];
            case "hashCode" -> System.identityHashCode(self);
            default -> "settling " + target;
        };
    }
}
