package io.github.listenerdedup.rabbit;

import com.rabbitmq.client.Channel;
import io.github.listenerdedup.core.BatchOutcome;
import io.github.listenerdedup.core.BatchSettlement;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.core.IncomingDelivery;
import io.github.listenerdedup.core.ItemFailure;
import io.github.listenerdedup.core.ItemOutcome;
import io.github.listenerdedup.core.Settlement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.amqp.core.Message;

/**
 * Decides deliveries on a container that acknowledges automatically: the container settles, so the advice returns
 * normally to acknowledge, throws {@link ImmediateRequeueAmqpException} to requeue,
 * {@link AmqpRejectAndDontRequeueException} to reject, and passes the listener's failure on for the container to
 * nack. A consumer batch is settled as a whole.
 */
final class AutoDeliveries {

    private final DeduplicatingAdvice advice;

    AutoDeliveries(DeduplicatingAdvice advice) {
        this.advice = advice;
    }

    Object single(MethodInvocation invocation, Message message) throws Throwable {
        String listener = advice.describe(message);
        ListenerRun run = new ListenerRun();
        DeliveryOutcome outcome;
        try {
            outcome = advice.deduplicator().process(advice.ids().of(message, listener), () -> run.proceed(invocation));
        } catch (Throwable failure) {
            FailureLog.failed(advice.describe(message), run.eventId, message.getMessageProperties(),
                    "claim released, delivery left to the container to nack", failure);
            throw failure;
        }
        if (outcome == DeliveryOutcome.MAX_ATTEMPTS) {
            FailureLog.failed(advice.describe(message), run.eventId, message.getMessageProperties(),
                    "last of max-attempts, claim discarded, delivery rejected to the dead-letter exchange",
                    run.failure);
        }
        settle(outcome, listener, run.failure);
        return null;
    }

    /**
     * Decides a consumer batch the container settles as a whole. The listener's channel is watched: a message the
     * listener rejects or nacks on its own (as Spring AMQP's batch adapter does with one it cannot convert) leaves
     * the batch with its claim released. The container acknowledges or nacks the rest with one call naming the
     * batch's last delivery tag, so when the listener settled that one itself, the advice acknowledges the others
     * itself and has the container settle the last one as the listener asked. Should deduplication fail to decide
     * the batch with a runtime exception, the container requeues the whole batch once, and what the listener asked
     * for its own deliveries is dropped.
     */
    Object batch(MethodInvocation invocation, Channel channel, List<Message> messages) throws Throwable {
        String listener = advice.describe(messages.get(0));
        List<Long> tags = messages.stream().map(message -> message.getMessageProperties().getDeliveryTag()).toList();
        SettlingChannel settling = SettlingChannel.around(channel, tags, listener);
        ListenerArguments.set(invocation, ListenerArguments.CHANNEL, settling.channel());
        List<IncomingDelivery> deliveries = messages.stream().map(message -> advice.ids().of(message, listener))
                .toList();
        BatchOutcome outcome;
        try {
            outcome = advice.deduplicator().processBatch(deliveries, BatchSettlement.WHOLE_BATCH, positions -> {
                List<Message> given = positions.stream().map(messages::get).toList();
                ListenerArguments.set(invocation, ListenerArguments.DATA, given);
                BatchResults.during(given, false, invocation::proceed);
                return refusedByListener(positions, settling, tags);
            });
        } catch (RuntimeException e) {
            settling.decided();
            throw new ImmediateRequeueAmqpException("Requeued the whole batch of " + messages.size() + " on "
                    + listener + ": deduplication failed to decide it", e);
        }
        logFailures(messages, outcome);
        ListenerSettlements own = new ListenerSettlements(settling, tags, listener);
        own.sendRefusalsBeforeLastTag();
        settling.decided();
        if (outcome.settlement() == Settlement.FAIL) {
            throw outcome.failure();
        }
        if (own.lastTagRefused() && outcome.settlement() == Settlement.ACK) {
            own.ackOthers(outcome);
            throw own.lastTagSettlement();
        }
        settle(batchOutcome(outcome), listener + " (the whole batch of " + messages.size() + ")", outcome.failure());
        return null;
    }

    private static Map<Integer, ItemFailure> refusedByListener(List<Integer> positions, SettlingChannel settling,
            List<Long> tags) {
        Map<Integer, ItemFailure> refused = new HashMap<>();
        for (Integer position : positions) {
            SettlingChannel.Settlement own = settling.recorded(tags.get(position));
            if (own != null && own.refuses()) {
                refused.put(position, new ItemFailure(new ListenerRefusedDelivery(own), !own.requeue()));
            }
        }
        return refused;
    }

    private void logFailures(List<Message> messages, BatchOutcome outcome) {
        for (int i = 0; i < messages.size(); i++) {
            ItemOutcome item = outcome.items().get(i);
            if (item.outcome() == DeliveryOutcome.RELEASED || item.outcome() == DeliveryOutcome.MAX_ATTEMPTS
                    || item.outcome() == DeliveryOutcome.FAILED_WITHOUT_CLAIM) {
                FailureLog.failed(advice.describe(messages.get(i)), item.eventId(),
                        messages.get(i).getMessageProperties(), describeBatchFate(item), outcome.failure());
            }
        }
    }

    private static String describeBatchFate(ItemOutcome item) {
        String claim = item.outcome() == DeliveryOutcome.MAX_ATTEMPTS ? "last of max-attempts, claim discarded"
                : item.outcome() == DeliveryOutcome.RELEASED ? "claim released" : "no claim";
        return claim + (item.settlement() == Settlement.REJECT
                ? ", the whole batch rejected to the dead-letter exchange"
                : ", the whole batch left to the container to nack");
    }

    /** The outcome that names what happens to the whole batch, for the exception that settles it. */
    private static DeliveryOutcome batchOutcome(BatchOutcome outcome) {
        return outcome.items().stream()
                .map(ItemOutcome::outcome)
                .filter(each -> each.settlement() == outcome.settlement())
                .findFirst()
                .orElse(outcome.settlement() == Settlement.ACK
                        ? DeliveryOutcome.PROCESSED : DeliveryOutcome.MAX_ATTEMPTS);
    }

    private void settle(DeliveryOutcome outcome, String listener, Throwable failure) {
        switch (outcome.settlement()) {
            case ACK:
                return;
            case REQUEUE:
                throw new ImmediateRequeueAmqpException("Requeued by deduplication on " + listener + ": "
                        + outcome.tag());
            case REJECT:
                throw new AmqpRejectAndDontRequeueException("Rejected by deduplication on " + listener + ": "
                        + advice.rejectReason(outcome) + " (" + outcome.tag() + ")", false, failure);
            default:
                throw new IllegalStateException("Outcome " + outcome + " on " + listener
                        + " says the listener failed, but nothing was thrown");
        }
    }

    /** One run of the rest of the chain, remembering the event id it ran for and what it threw. */
    static final class ListenerRun {

        String eventId;
        Throwable failure;

        void proceed(MethodInvocation invocation) throws Throwable {
            eventId = Deduplicator.currentEventId();
            try {
                invocation.proceed();
            } catch (Throwable thrown) {
                failure = thrown;
                throw thrown;
            }
        }
    }
}
