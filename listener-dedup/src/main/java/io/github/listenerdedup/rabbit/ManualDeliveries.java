package io.github.listenerdedup.rabbit;

import com.rabbitmq.client.Channel;
import io.github.listenerdedup.core.BatchOutcome;
import io.github.listenerdedup.core.BatchSettlement;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.core.IncomingDelivery;
import io.github.listenerdedup.core.ItemFailure;
import io.github.listenerdedup.core.ItemOutcome;
import io.github.listenerdedup.core.Settlement;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

/**
 * Decides deliveries on a container that acknowledges manually. The advice settles what it decides itself
 * (duplicates, requeues, rejections, failures); on a first attempt the listener owns the acknowledgement, which is
 * sent after the claim is completed, and a listener that nacks or rejects its own delivery gets its claim released.
 * Exactly one settlement is sent per delivery tag, and no exception reaches the container, so that neither the
 * container nor its error handler settles a delivery a second time; {@code java.lang.Error} propagates unsettled.
 * Every delivery of a consumer batch is settled by the advice, each on its own; should deduplication fail to decide
 * a batch with a runtime exception, every delivery tag of the batch is nacked with requeue, once.
 */
final class ManualDeliveries {

    private static final Logger log = LoggerFactory.getLogger(DeduplicatingAdvice.class);

    private final DeduplicatingAdvice advice;

    ManualDeliveries(DeduplicatingAdvice advice) {
        this.advice = advice;
    }

    Object single(MethodInvocation invocation, Channel channel, Message message, ContainerView container)
            throws Throwable {
        MessageProperties properties = message.getMessageProperties();
        long tag = properties.getDeliveryTag();
        if (ProducerBatchFragments.isBatchOrFragment(properties)) {
            return producerBatch(channel, message, tag);
        }
        SettlingChannel settling = SettlingChannel.around(channel, List.of(tag), container.name());
        ListenerArguments.set(invocation, ListenerArguments.CHANNEL, settling.channel());
        AutoDeliveries.ListenerRun run = new AutoDeliveries.ListenerRun();
        DeliveryOutcome outcome;
        try {
            outcome = advice.deduplicator().process(advice.ids().of(message, advice.describe(message)), () -> {
                run.proceed(invocation);
                SettlingChannel.Settlement own = settling.recorded(tag);
                if (own != null && own.refuses()) {
                    throw new ListenerRefusedDelivery(own);
                }
            });
        } catch (Throwable failure) {
            settleFailure(settling, tag, message, run.eventId, failure, container);
            settling.decided();
            if (failure instanceof Error) {
                throw failure;
            }
            return null;
        }
        settleOutcome(settling, tag, message, outcome, run);
        settling.decided();
        return null;
    }

    Object batch(MethodInvocation invocation, Channel channel, List<Message> messages, ContainerView container)
            throws Throwable {
        List<Long> tags = messages.stream().map(message -> message.getMessageProperties().getDeliveryTag()).toList();
        SettlingChannel settling = SettlingChannel.around(channel, tags, container.name());
        ListenerArguments.set(invocation, ListenerArguments.CHANNEL, settling.channel());
        List<IncomingDelivery> deliveries = messages.stream()
                .map(message -> advice.ids().of(message, advice.describe(message)))
                .toList();
        Set<Long> handed = new HashSet<>();
        Set<Integer> reported = new HashSet<>();
        Map<Integer, Throwable> causes = new HashMap<>();
        BatchOutcome outcome;
        try {
            outcome = advice.deduplicator().processBatch(deliveries, BatchSettlement.PER_DELIVERY, positions -> {
                List<Message> given = positions.stream().map(messages::get).toList();
                positions.forEach(position -> handed.add(tags.get(position)));
                ListenerArguments.set(invocation, ListenerArguments.DATA, given);
                Map<Integer, ItemFailure> results = BatchResults.during(given, true, invocation::proceed);
                results.keySet().forEach(index -> reported.add(positions.get(index)));
                Map<Integer, ItemFailure> failures = byPosition(positions, results, settling, tags);
                failures.forEach((position, failure) -> causes.put(position, failure.cause()));
                return failures;
            });
        } catch (RuntimeException e) {
            requeueUndecided(settling, tags, messages.get(0), e);
            return null;
        }
        Map<Long, List<Integer>> positionsByTag = new LinkedHashMap<>();
        for (int i = 0; i < tags.size(); i++) {
            positionsByTag.computeIfAbsent(tags.get(i), tag -> new ArrayList<>()).add(i);
        }
        BatchSettler settler = new BatchSettler(settling, messages, outcome, causes, container);
        positionsByTag.forEach((tag, positions) -> settler.settle(tag, positions,
                handed.contains(tag) && positions.stream().noneMatch(reported::contains)));
        settling.decided();
        if (outcome.failure() instanceof Error error) {
            throw error;
        }
        return null;
    }

    /** Requeues every delivery of a batch that deduplication failed to decide, each tag once. */
    private void requeueUndecided(SettlingChannel settling, List<Long> tags, Message first, RuntimeException e) {
        log.error("Requeued a batch of {} deliveries on {}: deduplication failed to decide it", tags.size(),
                advice.describe(first), e);
        tags.stream().distinct().forEach(tag -> settling.nack(tag, true));
        settling.decided();
    }

    private static Map<Integer, ItemFailure> byPosition(List<Integer> positions, Map<Integer, ItemFailure> reported,
            SettlingChannel settling, List<Long> tags) {
        Map<Integer, ItemFailure> failures = new HashMap<>();
        reported.forEach((index, failure) -> failures.put(positions.get(index), failure));
        for (Integer position : positions) {
            SettlingChannel.Settlement own = settling.recorded(tags.get(position));
            if (own != null && own.refuses() && !failures.containsKey(position)) {
                failures.put(position, new ItemFailure(new ListenerRefusedDelivery(own), !own.requeue()));
            }
        }
        return failures;
    }

    private void settleOutcome(SettlingChannel settling, long tag, Message message, DeliveryOutcome outcome,
            AutoDeliveries.ListenerRun run) {
        SettlingChannel.Settlement own = settling.recorded(tag);
        if (outcome == DeliveryOutcome.MAX_ATTEMPTS) {
            if (own != null && !own.refuses()) {
                settling.sendRecorded(tag);
            } else {
                settling.nack(tag, false);
            }
            FailureLog.failed(advice.describe(message), run.eventId, message.getMessageProperties(),
                    "last of max-attempts, claim discarded, delivery " + (own != null && !own.refuses()
                            ? "acknowledged by the listener" : "rejected to the dead-letter exchange"), run.failure);
            return;
        }
        switch (outcome.settlement()) {
            case ACK -> {
                if (outcome == DeliveryOutcome.DUPLICATE) {
                    settling.ack(tag);
                } else if (own != null) {
                    settling.sendRecorded(tag);
                }
            }
            case REQUEUE -> settling.nack(tag, true);
            case REJECT -> settling.nack(tag, false);
            default -> throw new IllegalStateException("Outcome " + outcome + " on " + advice.describe(message)
                    + " says the listener failed, but nothing was thrown");
        }
    }

    private void settleFailure(SettlingChannel settling, long tag, Message message, String eventId,
            Throwable failure, ContainerView container) {
        SettlingChannel.Settlement own = settling.recorded(tag);
        String fate;
        if (own != null) {
            settling.sendRecorded(tag);
            fate = "claim released, the listener's own " + own.kind().name().toLowerCase(Locale.ROOT) + " sent";
        } else if (failure instanceof Error) {
            fate = "claim released, delivery left unsettled to the container's Error policy";
        } else {
            FailureVerdict verdict = FailureVerdict.of(container, failure);
            if (verdict.ack()) {
                settling.ack(tag);
            } else {
                settling.nack(tag, verdict.requeue());
            }
            fate = "claim released, delivery " + verdict.describe();
        }
        FailureLog.failed(advice.describe(message), eventId, message.getMessageProperties(), fate, failure);
    }

    private Object producerBatch(Channel channel, Message message, long tag) throws IOException {
        MessageProperties properties = message.getMessageProperties();
        if (properties.isLastInBatch() || properties.getHeaders().containsKey(MessageProperties.SPRING_BATCH_FORMAT)) {
            log.error("Rejected a producer batch on {} to the dead-letter exchange: its messages share one delivery "
                    + "tag, which cannot be settled per message under manual acknowledgement; publish without "
                    + "batching, use AUTO acknowledgement, or a consumer batch listener", advice.describe(message));
            channel.basicNack(tag, false, false);
        }
        return null;
    }

    /** Sends one settlement per delivery tag of a batch, and logs each failed delivery. */
    private final class BatchSettler {

        private final SettlingChannel settling;
        private final List<Message> messages;
        private final BatchOutcome outcome;
        private final Map<Integer, Throwable> causes;
        private final ContainerView container;

        private BatchSettler(SettlingChannel settling, List<Message> messages, BatchOutcome outcome,
                Map<Integer, Throwable> causes, ContainerView container) {
            this.settling = settling;
            this.messages = messages;
            this.outcome = outcome;
            this.causes = causes;
            this.container = container;
        }

        /**
         * Settles one delivery tag.
         *
         * @param tag         the tag
         * @param positions   the positions of the batch that share it
         * @param listenerSet whether the listener's own settlement of the tag counts: it was handed the message and
         *                    reported no result for it through {@link BatchResults}
         */
        void settle(long tag, List<Integer> positions, boolean listenerSet) {
            SettlingChannel.Settlement own = listenerSet ? settling.recorded(tag) : null;
            boolean lastAttempt = positions.stream()
                    .anyMatch(position -> outcome.items().get(position).outcome() == DeliveryOutcome.MAX_ATTEMPTS);
            String fate = own != null && !(own.refuses() && lastAttempt) ? sendOwn(tag, own)
                    : sendDecided(tag, positions);
            for (Integer position : positions) {
                ItemOutcome item = outcome.items().get(position);
                if (item.outcome() == DeliveryOutcome.RELEASED || item.outcome() == DeliveryOutcome.MAX_ATTEMPTS
                        || item.outcome() == DeliveryOutcome.FAILED_WITHOUT_CLAIM) {
                    FailureLog.failed(advice.describe(messages.get(position)), item.eventId(),
                            messages.get(position).getMessageProperties(), claimFate(item) + ", delivery " + fate,
                            causeOf(position));
                }
            }
        }

        private String sendOwn(long tag, SettlingChannel.Settlement own) {
            settling.sendRecorded(tag);
            return "settled by the listener's own " + own.kind().name().toLowerCase(Locale.ROOT);
        }

        private String sendDecided(long tag, List<Integer> positions) {
            Settlement strongest = positions.stream().map(position -> outcome.items().get(position).settlement())
                    .max((a, b) -> Integer.compare(rank(a), rank(b)))
                    .orElse(Settlement.ACK);
            switch (strongest) {
                case ACK -> settling.ack(tag);
                case REQUEUE -> settling.nack(tag, true);
                case REJECT -> settling.nack(tag, false);
                default -> {
                    return sendFailure(tag, positions);
                }
            }
            return strongest == Settlement.ACK ? "acknowledged" : strongest == Settlement.REQUEUE
                    ? "nacked with requeue" : "nacked without requeue, to the dead-letter exchange";
        }

        private String sendFailure(long tag, List<Integer> positions) {
            Throwable cause = positions.stream().map(this::causeOf).filter(each -> each != null).findFirst()
                    .orElse(null);
            if (cause instanceof Error || cause == null) {
                return "left unsettled to the container's Error policy";
            }
            FailureVerdict verdict = FailureVerdict.of(container, cause);
            if (verdict.ack()) {
                settling.ack(tag);
            } else {
                settling.nack(tag, verdict.requeue());
            }
            return verdict.describe();
        }

        private Throwable causeOf(int position) {
            Throwable cause = causes.get(position);
            return cause != null ? cause : outcome.failure();
        }

        private String claimFate(ItemOutcome item) {
            return switch (item.outcome()) {
                case MAX_ATTEMPTS -> "last of max-attempts, claim discarded";
                case RELEASED -> "claim released";
                default -> "no claim";
            };
        }

        private int rank(Settlement settlement) {
            return switch (settlement) {
                case ACK -> 0;
                case REQUEUE -> 1;
                case FAIL -> 2;
                case REJECT -> 3;
            };
        }
    }
}
