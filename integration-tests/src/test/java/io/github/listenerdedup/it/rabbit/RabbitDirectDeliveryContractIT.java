package io.github.listenerdedup.it.rabbit;

import io.github.listenerdedup.it.rabbit.RabbitTestBroker.TestQueue;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;

/**
 * The broker delivery contract on RabbitMQ with a DirectMessageListenerContainer.
 */
class RabbitDirectDeliveryContractIT extends RabbitDeliveryContractIT {

    @Override
    protected AbstractMessageListenerContainer createContainer(RabbitTestBroker broker, TestQueue queue,
            int consumers) {
        return broker.directContainer(queue, consumers);
    }
}
