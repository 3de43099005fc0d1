package io.github.listenerdedup.it.rabbit;

import io.github.listenerdedup.it.rabbit.RabbitTestBroker.TestQueue;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

/**
 * The broker delivery contract on RabbitMQ with MANUAL acknowledgement, on a DirectMessageListenerContainer whose
 * listener acknowledges each delivery it handled; deduplication settles duplicates, holds, requeues and failures.
 */
class RabbitManualAckDeliveryContractIT extends RabbitDeliveryContractIT {

    @Override
    protected AbstractMessageListenerContainer createContainer(RabbitTestBroker broker, TestQueue queue,
            int consumers) {
        AbstractMessageListenerContainer container = broker.directContainer(queue, consumers);
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        return container;
    }

    @Override
    protected MessageListener listenerFor(TestHandler handler) {
        return (ChannelAwareMessageListener) (message, channel) -> {
            handle(handler, message);
            channel.basicAck(message.getMessageProperties().getDeliveryTag(), false);
        };
    }
}
