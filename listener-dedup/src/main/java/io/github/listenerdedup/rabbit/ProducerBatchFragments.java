package io.github.listenerdedup.rabbit;

import java.util.Map;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.support.AmqpHeaders;

/**
 * Recognises a message that is, or was split from, a producer-side batch. Spring AMQP's batching strategy packs
 * several messages into one AMQP message that carries the first message's headers; the container splits it into
 * fragments that share one delivery tag and all carry those headers, so a header id cannot tell them apart.
 */
final class ProducerBatchFragments {

    private ProducerBatchFragments() {
    }

    /**
     * Whether the message is a producer batch or one of its fragments: the batch-size header the batching strategy
     * writes stays on every fragment, the batch-format header marks a batch the container did not split, and the
     * last fragment is flagged as last in batch.
     *
     * @param properties the message's properties
     * @return {@code true} for a batch or a fragment
     */
    static boolean isBatchOrFragment(MessageProperties properties) {
        Map<String, Object> headers = properties.getHeaders();
        return headers.containsKey(AmqpHeaders.BATCH_SIZE)
                || headers.containsKey(MessageProperties.SPRING_BATCH_FORMAT)
                || properties.isLastInBatch();
    }
}
