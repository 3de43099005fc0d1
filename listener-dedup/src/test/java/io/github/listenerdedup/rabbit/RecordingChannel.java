package io.github.listenerdedup.rabbit;

import com.rabbitmq.client.Channel;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A channel that records the acks, nacks and rejects sent on it, as {@code ack 7 multiple=false},
 * {@code nack 7 multiple=false requeue=true} or {@code reject 7 requeue=false}; any other call answers null.
 */
final class RecordingChannel {

    private final List<String> settlements = new CopyOnWriteArrayList<>();
    private final Channel channel = (Channel) Proxy.newProxyInstance(Channel.class.getClassLoader(),
            new Class<?>[] {Channel.class}, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "basicAck" -> settlements.add("ack " + args[0] + " multiple=" + args[1]);
                    case "basicNack" -> settlements.add("nack " + args[0] + " multiple=" + args[1] + " requeue="
                            + args[2]);
                    case "basicReject" -> settlements.add("reject " + args[0] + " requeue=" + args[1]);
                    case "hashCode" -> {
                        return System.identityHashCode(proxy);
                    }
                    case "equals" -> {
                        return proxy == args[0];
                    }
                    case "toString" -> {
                        return "recording channel";
                    }
                    default -> {
                        return null;
                    }
                }
                return null;
            });

    Channel channel() {
        return channel;
    }

    List<String> settlements() {
        return settlements;
    }
}
