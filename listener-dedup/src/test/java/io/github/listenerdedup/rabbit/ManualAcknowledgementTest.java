package io.github.listenerdedup.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.OwnerToken;
import io.github.listenerdedup.store.memory.InMemoryClaimStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.ConditionalRejectingErrorHandler;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;
import org.springframework.amqp.rabbit.support.ListenerExecutionFailedException;
import org.springframework.amqp.support.AmqpHeaders;
import org.springframework.amqp.support.converter.MessageConversionException;

class ManualAcknowledgementTest {

    private final InMemoryClaimStore store = new InMemoryClaimStore();
    private final RecordingChannel channel = new RecordingChannel();
    private final SimpleMessageListenerContainer container = new SimpleMessageListenerContainer();
    private DedupSettings settings = DedupSettings.builder().group("orders").build();

    @Test
    void shouldSendListenersAckOnceAfterCompletingClaim() throws Throwable {
        List<ClaimState> statesWhenAcked = new ArrayList<>();
        DeduplicatingAdvice advice = installed();

        advice.invoke(ListenerCall.on(channel.channel(), message("E1", 7), (channel, data) -> {
            channel.basicAck(7, false);
            statesWhenAcked.add(stateOf("E1"));
        }));

        assertThat(statesWhenAcked).containsExactly(ClaimState.IN_PROGRESS);
        assertThat(channel.settlements()).containsExactly("ack 7 multiple=false");
        assertThat(stateOf("E1")).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldLeaveAckToListenerWhenItSucceedsWithoutSettling() throws Throwable {
        DeduplicatingAdvice advice = installed();
        List<Channel> handed = new ArrayList<>();

        advice.invoke(ListenerCall.on(channel.channel(), message("E1", 7), (channel, data) -> handed.add(channel)));
        handed.get(0).basicAck(7, false);
        handed.get(0).basicAck(7, false);

        assertThat(stateOf("E1")).isEqualTo(ClaimState.COMPLETED);
        assertThat(channel.settlements()).containsExactly("ack 7 multiple=false");
    }

    @Test
    void shouldAckDuplicateItselfWithoutRunningListener() throws Throwable {
        DeduplicatingAdvice advice = installed();
        advice.invoke(ListenerCall.on(channel.channel(), message("E1", 7),
                (channel, data) -> channel.basicAck(7, false)));
        ListenerCall duplicate = ListenerCall.on(channel.channel(), message("E1", 8), (channel, data) -> { });

        advice.invoke(duplicate);

        assertThat(duplicate.runs()).isZero();
        assertThat(channel.settlements()).containsExactly("ack 7 multiple=false", "ack 8 multiple=false");
    }

    @Test
    void shouldReleaseClaimAndSendListenersNackWhenListenerNacksWithoutThrowing() throws Throwable {
        DeduplicatingAdvice advice = installed();

        Object returned = advice.invoke(ListenerCall.on(channel.channel(), message("E1", 7),
                (channel, data) -> channel.basicNack(7, false, true)));

        assertThat(returned).isNull();
        assertThat(stateOf("E1")).isEqualTo(ClaimState.RELEASED);
        assertThat(channel.settlements()).containsExactly("nack 7 multiple=false requeue=true");
    }

    @Test
    void shouldSendOnlyListenersAckWhenListenerThrowsAfterAcking() throws Throwable {
        container.setErrorHandler(new ConditionalRejectingErrorHandler());
        DeduplicatingAdvice advice = installed();

        Object returned = advice.invoke(ListenerCall.on(channel.channel(), message("E1", 7), (channel, data) -> {
            channel.basicAck(7, false);
            throw new MessageConversionException("fatal after the ack");
        }));

        assertThat(returned).isNull();
        assertThat(stateOf("E1")).isEqualTo(ClaimState.RELEASED);
        assertThat(channel.settlements()).containsExactly("ack 7 multiple=false");
    }

    @Test
    void shouldNackWithRequeueOnceWhenListenerThrows() throws Throwable {
        DeduplicatingAdvice advice = installed();

        Object returned = advice.invoke(ListenerCall.on(channel.channel(), message("E1", 7), (channel, data) -> {
            throw new IllegalStateException("try again");
        }));

        assertThat(returned).isNull();
        assertThat(stateOf("E1")).isEqualTo(ClaimState.RELEASED);
        assertThat(channel.settlements()).containsExactly("nack 7 multiple=false requeue=true");
    }

    @Test
    void shouldNackWithoutRequeueWhenErrorHandlerFindsFailureFatal() throws Throwable {
        container.setErrorHandler(new ConditionalRejectingErrorHandler());
        DeduplicatingAdvice advice = installed();

        Message message = message("E1", 7);

        advice.invoke(ListenerCall.on(channel.channel(), message, (channel, data) -> {
            throw new ListenerExecutionFailedException("Listener threw exception",
                    new MessageConversionException("cannot convert"), message);
        }));

        assertThat(channel.settlements()).containsExactly("nack 7 multiple=false requeue=false");
    }

    @Test
    void shouldNackWithoutRequeueWhenContainerDoesNotRequeueRejected() throws Throwable {
        container.setDefaultRequeueRejected(false);
        DeduplicatingAdvice advice = installed();

        advice.invoke(ListenerCall.on(channel.channel(), message("E1", 7), (channel, data) -> {
            throw new IllegalStateException("fails");
        }));

        assertThat(channel.settlements()).containsExactly("nack 7 multiple=false requeue=false");
    }

    @Test
    void shouldReleaseAndPropagateErrorLeavingDeliveryUnsettled() {
        DeduplicatingAdvice advice = installed();
        StackOverflowError error = new StackOverflowError("simulated");

        assertThatThrownBy(() -> advice.invoke(ListenerCall.on(channel.channel(), message("E1", 7),
                (channel, data) -> {
                    throw error;
                }))).isSameAs(error);

        assertThat(stateOf("E1")).isEqualTo(ClaimState.RELEASED);
        assertThat(channel.settlements()).isEmpty();
    }

    @Test
    void shouldRequeueItselfWhenAnotherDeliveryHoldsTheClaim() throws Throwable {
        settings = settings.toBuilder().inFlightWait(Duration.ZERO).build();
        store.claim(settings.keyFor("E1"), OwnerToken.random(), null, Duration.ofSeconds(30));
        DeduplicatingAdvice advice = installed();

        advice.invoke(ListenerCall.on(channel.channel(), message("E1", 7), (channel, data) -> { }));

        assertThat(channel.settlements()).containsExactly("nack 7 multiple=false requeue=true");
    }

    @Test
    void shouldRejectItselfAndDiscardClaimWhenLastOfMaxAttemptsFails() throws Throwable {
        settings = settings.toBuilder().maxAttempts(1).build();
        DeduplicatingAdvice advice = installed();

        advice.invoke(ListenerCall.on(channel.channel(), message("E1", 7), (channel, data) -> {
            throw new IllegalStateException("fails");
        }));

        assertThat(channel.settlements()).containsExactly("nack 7 multiple=false requeue=false");
        assertThat(stateOf("E1")).isEqualTo(ClaimState.ABSENT);
    }

    @Test
    void shouldRejectMissingIdItselfWithoutThrowing() throws Throwable {
        DeduplicatingAdvice advice = installed();

        Object returned = advice.invoke(ListenerCall.on(channel.channel(), message(null, 7), (channel, data) -> { }));

        assertThat(returned).isNull();
        assertThat(channel.settlements()).containsExactly("nack 7 multiple=false requeue=false");
    }

    @Test
    void shouldRejectProducerBatchOnceAtItsLastFragmentWithoutRunningListener() throws Throwable {
        DeduplicatingAdvice advice = installed();
        Message first = message("E1", 7);
        first.getMessageProperties().setHeader(AmqpHeaders.BATCH_SIZE, 2);
        Message last = message("E1", 7);
        last.getMessageProperties().setHeader(AmqpHeaders.BATCH_SIZE, 2);
        last.getMessageProperties().setLastInBatch(true);
        ListenerCall firstCall = ListenerCall.on(channel.channel(), first, (channel, data) -> { });
        ListenerCall lastCall = ListenerCall.on(channel.channel(), last, (channel, data) -> { });

        advice.invoke(firstCall);
        advice.invoke(lastCall);

        assertThat(firstCall.runs() + lastCall.runs()).isZero();
        assertThat(channel.settlements()).containsExactly("nack 7 multiple=false requeue=false");
        assertThat(store.size()).isZero();
    }

    @Test
    void shouldSettleEveryMessageOfBatchOnceWithReportedResults() throws Throwable {
        container.setMessageListener((ChannelAwareBatchMessageListener) (messages, channel) -> { });
        container.setConsumerBatchEnabled(true);
        DeduplicatingAdvice advice = installed();
        advice.invoke(ListenerCall.on(channel.channel(), message("E0", 1),
                (channel, data) -> channel.basicAck(1, false)));
        List<Message> batch = List.of(message("E0", 2), message("E1", 3), message("E2", 4), message("E3", 5));

        ListenerCall call = ListenerCall.on(channel.channel(), batch, (channel, data) -> {
            BatchResults.current().rejected(1, new MessageConversionException("empty body"));
            channel.basicNack(5, false, true);
        });
        advice.invoke(call);

        assertThat(call.handed()).containsExactly(batch.subList(1, 4));
        assertThat(channel.settlements()).containsExactly("ack 1 multiple=false", "ack 2 multiple=false",
                "ack 3 multiple=false", "nack 4 multiple=false requeue=false", "nack 5 multiple=false requeue=true");
        assertThat(stateOf("E1")).isEqualTo(ClaimState.COMPLETED);
        assertThat(stateOf("E2")).isEqualTo(ClaimState.RELEASED);
        assertThat(stateOf("E3")).isEqualTo(ClaimState.RELEASED);
    }

    @Test
    void shouldNackEveryMessageHandedToBatchListenerWhenItThrows() throws Throwable {
        container.setMessageListener((ChannelAwareBatchMessageListener) (messages, channel) -> { });
        container.setConsumerBatchEnabled(true);
        DeduplicatingAdvice advice = installed();

        advice.invoke(ListenerCall.on(channel.channel(), List.of(message("E1", 1), message("E2", 2)),
                (channel, data) -> {
                    throw new AmqpRejectAndDontRequeueException("bad batch");
                }));

        assertThat(channel.settlements()).containsExactly("nack 1 multiple=false requeue=false",
                "nack 2 multiple=false requeue=false");
        assertThat(stateOf("E1")).isEqualTo(ClaimState.RELEASED);
    }

    @Test
    void shouldNackEveryTagOfBatchWithRequeueOnceWhenDeduplicationFailsToDecideIt() throws Throwable {
        container.setMessageListener((ChannelAwareBatchMessageListener) (messages, channel) -> { });
        container.setConsumerBatchEnabled(true);
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        DeduplicatingAdvice advice = RabbitDeduplication.applyTo(container,
                new Deduplicator(settings, new UnansweredBatchClaimStore(store)));
        ListenerCall call = ListenerCall.on(channel.channel(), List.of(message("E1", 1), message("E2", 2)),
                (channel, data) -> channel.basicAck(2, true));

        Object returned = advice.invoke(call);

        assertThat(returned).isNull();
        assertThat(call.runs()).isZero();
        assertThat(channel.settlements()).containsExactly("nack 1 multiple=false requeue=true",
                "nack 2 multiple=false requeue=true");
    }

    private DeduplicatingAdvice installed() {
        if (container.getMessageListener() == null) {
            container.setMessageListener(message -> { });
        }
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        return RabbitDeduplication.applyTo(container, new Deduplicator(settings, store));
    }

    private ClaimState stateOf(String eventId) {
        return store.inspect(settings.keyFor(eventId)).state();
    }

    private static Message message(String eventId, long deliveryTag) {
        MessageProperties properties = new MessageProperties();
        properties.setConsumerQueue("orders");
        properties.setDeliveryTag(deliveryTag);
        if (eventId != null) {
            properties.setHeader(DedupSettings.DEFAULT_HEADER_NAME, eventId);
        }
        return new Message("body".getBytes(StandardCharsets.UTF_8), properties);
    }
}
