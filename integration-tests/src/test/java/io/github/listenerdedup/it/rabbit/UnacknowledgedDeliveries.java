package io.github.listenerdedup.it.rabbit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MetricsCollector;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Counts the deliveries a connection has received and not yet settled, as the broker counts a queue's
 * unacknowledged messages: prefetched ones included. The AMQP client reports every delivery, ack, nack and reject
 * here. A channel that closes gives its deliveries back to the broker.
 *
 * <p>A listener container handles the deliveries of one channel in order, so a nack or reject settles its delivery
 * tag and every earlier one of the channel: the client does not say whether a nack covered several tags.
 */
final class UnacknowledgedDeliveries implements MetricsCollector {

    private final Map<Channel, NavigableSet<Long>> outstanding = new ConcurrentHashMap<>();
    private final Set<String> autoAckConsumers = ConcurrentHashMap.newKeySet();

    /** @return how many deliveries are received and not settled, over every channel */
    int count() {
        return outstanding.values().stream().mapToInt(Set::size).sum();
    }

    @Override
    public void newConnection(Connection connection) {
    }

    @Override
    public void closeConnection(Connection connection) {
    }

    @Override
    public void newChannel(Channel channel) {
        channel.addShutdownListener(cause -> outstanding.remove(channel));
    }

    @Override
    public void closeChannel(Channel channel) {
        outstanding.remove(channel);
    }

    @Override
    public void basicPublish(Channel channel) {
    }

    @Override
    public void consumedMessage(Channel channel, long deliveryTag, boolean autoAck) {
        if (!autoAck) {
            tagsOf(channel).add(deliveryTag);
        }
    }

    @Override
    public void consumedMessage(Channel channel, long deliveryTag, String consumerTag) {
        consumedMessage(channel, deliveryTag, autoAckConsumers.contains(consumerTag));
    }

    @Override
    public void basicAck(Channel channel, long deliveryTag, boolean multiple) {
        if (multiple) {
            tagsOf(channel).headSet(deliveryTag, true).clear();
        } else {
            tagsOf(channel).remove(deliveryTag);
        }
    }

    @Override
    public void basicNack(Channel channel, long deliveryTag) {
        tagsOf(channel).headSet(deliveryTag, true).clear();
    }

    @Override
    public void basicNack(Channel channel, long deliveryTag, boolean requeue) {
        basicNack(channel, deliveryTag);
    }

    @Override
    public void basicReject(Channel channel, long deliveryTag) {
        tagsOf(channel).headSet(deliveryTag, true).clear();
    }

    @Override
    public void basicReject(Channel channel, long deliveryTag, boolean requeue) {
        basicReject(channel, deliveryTag);
    }

    @Override
    public void basicConsume(Channel channel, String consumerTag, boolean autoAck) {
        if (autoAck) {
            autoAckConsumers.add(consumerTag);
        }
    }

    @Override
    public void basicCancel(Channel channel, String consumerTag) {
        autoAckConsumers.remove(consumerTag);
    }

    private NavigableSet<Long> tagsOf(Channel channel) {
        return outstanding.computeIfAbsent(channel, c -> new ConcurrentSkipListSet<>());
    }
}
