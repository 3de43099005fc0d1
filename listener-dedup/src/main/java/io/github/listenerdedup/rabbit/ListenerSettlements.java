package io.github.listenerdedup.rabbit;

import io.github.listenerdedup.core.BatchOutcome;
import io.github.listenerdedup.core.Settlement;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.ImmediateRequeueAmqpException;

/**
 * What a batch listener settled on its own channel while the container settles the batch (AUTO acknowledgement).
 * Its rejects and nacks are sent, except one naming the batch's last delivery tag: the container names that tag
 * when it settles the rest, so the advice leaves it to the container. Acknowledgements are dropped: the container
 * sends them.
 */
final class ListenerSettlements {

    private static final Logger log = LoggerFactory.getLogger(DeduplicatingAdvice.class);

    private final SettlingChannel settling;
    private final List<Long> tags;
    private final long lastTag;
    private final String listener;

    ListenerSettlements(SettlingChannel settling, List<Long> tags, String listener) {
        this.settling = settling;
        this.tags = tags;
        this.lastTag = Collections.max(tags);
        this.listener = listener;
    }

    /** Sends the listener's rejects and nacks of every tag but the last; drops its acknowledgements. */
    void sendRefusalsBeforeLastTag() {
        for (Long tag : tags.stream().distinct().toList()) {
            SettlingChannel.Settlement own = settling.recorded(tag);
            if (own == null) {
                continue;
            }
            if (!own.refuses()) {
                log.warn("Dropped the acknowledgement of delivery {} by {}: the container acknowledges automatically",
                        tag, listener);
            } else if (tag != lastTag) {
                settling.sendRecorded(tag);
            }
        }
    }

    /** @return whether the listener rejected or nacked the batch's last delivery itself */
    boolean lastTagRefused() {
        SettlingChannel.Settlement own = settling.recorded(lastTag);
        return own != null && own.refuses();
    }

    /** Acknowledges every delivery the listener did not refuse, each on its own. */
    void ackOthers(BatchOutcome outcome) {
        for (int i = 0; i < tags.size(); i++) {
            long tag = tags.get(i);
            SettlingChannel.Settlement own = settling.recorded(tag);
            if (tag != lastTag && (own == null || !own.refuses())
                    && outcome.items().get(i).settlement() == Settlement.ACK) {
                settling.ack(tag);
            }
        }
    }

    /** @return the exception that has the container settle the last delivery as the listener asked */
    AmqpException lastTagSettlement() {
        SettlingChannel.Settlement own = settling.recorded(lastTag);
        String message = "The batch's last delivery was settled by " + listener + " itself (" + own.kind()
                + "); the container settles it so, and the others were acknowledged";
        return own.requeue() ? new ImmediateRequeueAmqpException(message)
                : new AmqpRejectAndDontRequeueException(message);
    }
}
