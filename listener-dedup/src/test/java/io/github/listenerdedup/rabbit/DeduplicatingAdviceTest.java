package io.github.listenerdedup.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.impl.LongStringHelper;
import io.github.listenerdedup.CapturedLogs;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.MissingIdPolicy;
import io.github.listenerdedup.core.OwnerToken;
import io.github.listenerdedup.store.memory.InMemoryClaimStore;
import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.support.AmqpHeaders;

class DeduplicatingAdviceTest {

    private static final String HEADER = DedupSettings.DEFAULT_HEADER_NAME;

    private final InMemoryClaimStore store = new InMemoryClaimStore();

    @Test
    void shouldReturnNormallyAndCompleteClaimWhenListenerSucceeds() throws Throwable {
        DeduplicatingAdvice advice = advice(settings().build());
        ListenerCall call = ListenerCall.succeeding(message("E1"));

        Object returned = advice.invoke(call);

        assertThat(returned).isNull();
        assertThat(call.runs()).isEqualTo(1);
        assertThat(stateOf("E1")).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldWarnOnceWhenAdviceRunsWithoutHavingBeenInstalled() {
        DeduplicatingAdvice advice = advice(settings().build());

        String logs = CapturedLogs.during(DeduplicatingAdvice.class, () -> {
            for (String id : List.of("E1", "E2")) {
                try {
                    advice.invoke(ListenerCall.succeeding(message(id)));
                } catch (Throwable e) {
                    throw new AssertionError(e);
                }
            }
        });

        assertThat(logs.lines().filter(line -> line.startsWith("WARN"))).hasSize(1)
                .allMatch(line -> line.contains("runs in a container it was not installed on by RabbitDeduplication"));
    }

    @Test
    void shouldReturnNormallyWithoutRunningListenerWhenIdWasCompleted() throws Throwable {
        DeduplicatingAdvice advice = advice(settings().build());
        advice.invoke(ListenerCall.succeeding(message("E1")));
        ListenerCall duplicate = ListenerCall.succeeding(message("E1"));

        advice.invoke(duplicate);

        assertThat(duplicate.runs()).isZero();
    }

    @Test
    void shouldThrowImmediateRequeueWhenAnotherDeliveryHoldsTheClaim() {
        DedupSettings settings = settings().inFlightWait(Duration.ZERO).build();
        store.claim(settings.keyFor("E1"), OwnerToken.random(), null, Duration.ofSeconds(30));
        ListenerCall call = ListenerCall.succeeding(message("E1"));

        assertThatThrownBy(() -> advice(settings).invoke(call))
                .isInstanceOf(ImmediateRequeueAmqpException.class)
                .hasMessage("Requeued by deduplication on queue 'orders': in-flight-requeued");
        assertThat(call.runs()).isZero();
        assertThat(stateOf("E1")).isEqualTo(ClaimState.IN_PROGRESS);
    }

    @Test
    void shouldThrowRejectNamingTheHeaderWhenIdIsMissing() {
        ListenerCall call = ListenerCall.succeeding(message(null));

        assertThatThrownBy(() -> advice(settings().build()).invoke(call))
                .isInstanceOf(AmqpRejectAndDontRequeueException.class)
                .hasMessage("Rejected by deduplication on queue 'orders': no usable event id from header 'eventId' "
                        + "(rejected-id)");
        assertThat(call.runs()).isZero();
        assertThat(store.size()).isZero();
    }

    @Test
    void shouldReleaseClaimAndPropagateSameExceptionWhenListenerThrows() {
        IllegalStateException failure = new IllegalStateException("listener failed");
        ListenerCall call = ListenerCall.failing(message("E1"), failure);

        assertThatThrownBy(() -> advice(settings().build()).invoke(call)).isSameAs(failure);
        assertThat(stateOf("E1")).isEqualTo(ClaimState.RELEASED);
    }

    @Test
    void shouldReleaseClaimAndPropagateSameErrorWhenListenerThrowsError() {
        OutOfMemoryError failure = new OutOfMemoryError("simulated");
        ListenerCall call = ListenerCall.failing(message("E1"), failure);

        assertThatThrownBy(() -> advice(settings().build()).invoke(call)).isSameAs(failure);
        assertThat(stateOf("E1")).isEqualTo(ClaimState.RELEASED);
    }

    @Test
    void shouldReadStringLongStringAndUtf8BytesAsOneIdWhenTheyHoldTheSameText() throws Throwable {
        DeduplicatingAdvice advice = advice(settings().build());
        ListenerCall asString = ListenerCall.succeeding(message("E12"));
        ListenerCall asLongString = ListenerCall.succeeding(message(LongStringHelper.asLongString("E12")));
        ListenerCall asBytes = ListenerCall.succeeding(message("E12".getBytes(StandardCharsets.UTF_8)));

        advice.invoke(asString);
        advice.invoke(asLongString);
        advice.invoke(asBytes);

        assertThat(asString.runs() + asLongString.runs() + asBytes.runs()).isEqualTo(1);
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void shouldReadLongStringStreamAndRewindItWhenConverterHandsOverStream() throws Throwable {
        String id = "E".repeat(1500);
        InputStream stream = LongStringHelper.asLongString(id).getStream();
        DeduplicatingAdvice advice = advice(settings().maxIdLength(2000).build());

        advice.invoke(ListenerCall.succeeding(message(stream)));

        assertThat(stateOf(id)).isEqualTo(ClaimState.COMPLETED);
        assertThat(new String(stream.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(id);
        assertThat(stream).isInstanceOf(DataInputStream.class);
    }

    @Test
    void shouldRejectWithoutReadingWhenStreamCannotBeRewound() {
        InputStream stream = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("a stream that cannot be rewound is never read");
            }
        };
        ListenerCall call = ListenerCall.succeeding(message(stream));

        assertThatThrownBy(() -> advice(settings().build()).invoke(call))
                .isInstanceOf(AmqpRejectAndDontRequeueException.class);
        assertThat(call.runs()).isZero();
    }

    @Test
    void shouldRejectTextWithReplacementCharacterWhenBytesWereNotUtf8() {
        ListenerCall call = ListenerCall.succeeding(message("E\uFFFD12"));

        assertThatThrownBy(() -> advice(settings().build()).invoke(call))
                .isInstanceOf(AmqpRejectAndDontRequeueException.class);
        assertThat(call.runs()).isZero();
        assertThat(store.size()).isZero();
    }

    @Test
    void shouldRejectWithoutClaimingWhenDeliveryIsFragmentOfProducerBatch() {
        MessageProperties first = properties("E1");
        first.setHeader(AmqpHeaders.BATCH_SIZE, 3);
        MessageProperties last = properties("E1");
        last.setLastInBatch(true);
        MessageProperties undivided = properties("E1");
        undivided.setHeader(MessageProperties.SPRING_BATCH_FORMAT, MessageProperties.BATCH_FORMAT_LENGTH_HEADER4);
        DeduplicatingAdvice advice = advice(settings().missingId(MissingIdPolicy.MESSAGE_ID).build());

        for (MessageProperties properties : List.of(first, last, undivided)) {
            properties.setMessageId("M1");
            ListenerCall call = ListenerCall.succeeding(new Message(new byte[0], properties));
            assertThatThrownBy(() -> advice.invoke(call)).isInstanceOf(AmqpRejectAndDontRequeueException.class);
            assertThat(call.runs()).isZero();
        }
        assertThat(store.size()).isZero();
    }

    @Test
    void shouldClaimEachFragmentByItsBodyWhenResolverReadsTheBody() throws Throwable {
        DeduplicatingAdvice advice = new DeduplicatingAdvice(deduplicator(settings().build()),
                message -> message.getBody());
        for (String body : List.of("A", "B", "A")) {
            MessageProperties properties = properties("E-first");
            properties.setHeader(AmqpHeaders.BATCH_SIZE, 3);
            advice.invoke(ListenerCall.succeeding(new Message(body.getBytes(StandardCharsets.UTF_8), properties)));
        }

        assertThat(stateOf("A")).isEqualTo(ClaimState.COMPLETED);
        assertThat(stateOf("B")).isEqualTo(ClaimState.COMPLETED);
        assertThat(store.size()).isEqualTo(2);
    }

    @Test
    void shouldNotFallBackToMessageIdWhenFragmentResolverFindsNoId() {
        DeduplicatingAdvice advice = new DeduplicatingAdvice(
                deduplicator(settings().missingId(MissingIdPolicy.MESSAGE_ID).build()), message -> null);
        MessageProperties properties = properties(null);
        properties.setMessageId("M1");
        properties.setLastInBatch(true);
        ListenerCall call = ListenerCall.succeeding(new Message(new byte[0], properties));

        assertThatThrownBy(() -> advice.invoke(call)).isInstanceOf(AmqpRejectAndDontRequeueException.class);
        assertThat(call.runs()).isZero();
    }

    @Test
    void shouldClaimMessageIdWhenHeaderIsMissingAndPolicyFallsBackToIt() throws Throwable {
        DeduplicatingAdvice advice = advice(settings().missingId(MissingIdPolicy.MESSAGE_ID).build());
        MessageProperties properties = properties(null);
        properties.setMessageId("M11");

        advice.invoke(ListenerCall.succeeding(new Message(new byte[0], properties)));

        assertThat(stateOf("M11")).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldRejectWhenResolverThrows() {
        DeduplicatingAdvice advice = new DeduplicatingAdvice(deduplicator(settings().build()), message -> {
            throw new IllegalArgumentException("no id in body");
        });
        ListenerCall call = ListenerCall.succeeding(message("E1"));

        assertThatThrownBy(() -> advice.invoke(call))
                .isInstanceOf(AmqpRejectAndDontRequeueException.class)
                .hasMessage("Rejected by deduplication on queue 'orders': no usable event id from the id resolver "
                        + "(rejected-id)");
        assertThat(call.runs()).isZero();
    }

    @Test
    void shouldHandListenerOnlyNewIdsOfBatchAndCompleteThemWhenItSucceeds() throws Throwable {
        DeduplicatingAdvice advice = advice(settings().build());
        advice.invoke(ListenerCall.succeeding(message("E1")));
        Message e1 = message("E1");
        Message e2 = message("E2");
        Message e2Again = message("E2");
        Message e3 = message("E3");
        ListenerCall call = ListenerCall.succeeding(List.of(e1, e2, e2Again, e3));

        Object returned = advice.invoke(call);

        assertThat(returned).isNull();
        assertThat(call.handed()).containsExactly(List.of(e2, e3));
        assertThat(stateOf("E2")).isEqualTo(ClaimState.COMPLETED);
        assertThat(stateOf("E3")).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldReleaseEveryClaimOfBatchAndPropagateWhenListenerThrows() {
        IllegalStateException failure = new IllegalStateException("batch failed");
        ListenerCall call = ListenerCall.failing(List.of(message("E1"), message("E2")), failure);

        assertThatThrownBy(() -> advice(settings().build()).invoke(call)).isSameAs(failure);
        assertThat(stateOf("E1")).isEqualTo(ClaimState.RELEASED);
        assertThat(stateOf("E2")).isEqualTo(ClaimState.RELEASED);
    }

    @Test
    void shouldRequeueWholeBatchWithoutRunningWhenAnotherDeliveryHoldsOneOfItsIds() {
        DedupSettings settings = settings().inFlightWait(Duration.ZERO).build();
        store.claim(settings.keyFor("E2"), OwnerToken.random(), null, Duration.ofSeconds(30));
        ListenerCall call = ListenerCall.succeeding(List.of(message("E1"), message("E2")));

        assertThatThrownBy(() -> advice(settings).invoke(call))
                .isInstanceOf(ImmediateRequeueAmqpException.class)
                .hasMessage("Requeued by deduplication on queue 'orders' (the whole batch of 2): in-flight-requeued");
        assertThat(call.runs()).isZero();
        assertThat(stateOf("E1")).isEqualTo(ClaimState.ABSENT);
    }

    @Test
    void shouldRequeueWholeBatchOnceWhenDeduplicationFailsToDecideIt() {
        DeduplicatingAdvice advice = new DeduplicatingAdvice(
                new Deduplicator(settings().build(), new UnansweredBatchClaimStore(store)));
        ListenerCall call = ListenerCall.succeeding(List.of(message("E1"), message("E2")));

        assertThatThrownBy(() -> advice.invoke(call))
                .isInstanceOf(ImmediateRequeueAmqpException.class)
                .hasMessage("Requeued the whole batch of 2 on queue 'orders': deduplication failed to decide it")
                .hasCauseInstanceOf(IndexOutOfBoundsException.class);
        assertThat(call.runs()).isZero();
    }

    @Test
    void shouldRejectWholeBatchWithoutClaimingWhenOneMessageHasNoId() {
        ListenerCall call = ListenerCall.succeeding(List.of(message("E1"), message(null)));

        assertThatThrownBy(() -> advice(settings().build()).invoke(call))
                .isInstanceOf(AmqpRejectAndDontRequeueException.class)
                .hasMessage("Rejected by deduplication on queue 'orders' (the whole batch of 2): no usable event id "
                        + "from header 'eventId' (rejected-id)");
        assertThat(call.runs()).isZero();
        assertThat(store.size()).isZero();
    }

    @Test
    void shouldRefusePerMessageResultsWhenContainerSettlesBatchAsWhole() {
        ListenerCall call = ListenerCall.on(new RecordingChannel().channel(), List.of(message("E1")),
                (channel, data) -> BatchResults.current());

        assertThatThrownBy(() -> advice(settings().build()).invoke(call))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Per-message results need acknowledgeMode MANUAL, but it is AUTO: the container settles "
                        + "the batch as a whole; throw to fail every message of the batch");
        assertThat(stateOf("E1")).isEqualTo(ClaimState.RELEASED);
    }

    @Test
    void shouldReleaseOnlyTheMessageListenerRejectedAndLetContainerAckTheRest() throws Throwable {
        RecordingChannel recording = new RecordingChannel();
        ListenerCall call = ListenerCall.on(recording.channel(), List.of(message("E1", 1), message("E2", 2),
                message("E3", 3)), (channel, data) -> channel.basicReject(2, false));

        Object returned = advice(settings().build()).invoke(call);

        assertThat(returned).isNull();
        assertThat(recording.settlements()).containsExactly("reject 2 requeue=false");
        assertThat(stateOf("E1")).isEqualTo(ClaimState.COMPLETED);
        assertThat(stateOf("E2")).isEqualTo(ClaimState.RELEASED);
    }

    @Test
    void shouldAckOthersItselfAndHaveContainerSettleLastMessageWhenListenerRejectedIt() {
        RecordingChannel recording = new RecordingChannel();
        ListenerCall call = ListenerCall.on(recording.channel(), List.of(message("E1", 1), message("E2", 2)),
                (channel, data) -> channel.basicReject(2, false));

        assertThatThrownBy(() -> advice(settings().build()).invoke(call))
                .isInstanceOf(AmqpRejectAndDontRequeueException.class);
        assertThat(recording.settlements()).containsExactly("ack 1 multiple=false");
        assertThat(stateOf("E2")).isEqualTo(ClaimState.RELEASED);
    }

    @Test
    void shouldRejectWithoutRunningWhenDataIsNeitherMessageNorBatch() {
        ListenerCall call = ListenerCall.succeeding("not a message");

        assertThatThrownBy(() -> advice(settings().build()).invoke(call))
                .isInstanceOf(AmqpRejectAndDontRequeueException.class)
                .hasMessage("Rejected by deduplication on a listener not installed by RabbitDeduplication: the "
                        + "listener was called with java.lang.String, not a Message or a List of Messages");
        assertThat(call.runs()).isZero();
    }

    @Test
    void shouldPassThroughWhenMethodIsNotInvokeListener() throws Throwable {
        ListenerCall call = ListenerCall.otherMethod(message("E1"));

        Object returned = advice(settings().build()).invoke(call);

        assertThat(returned).isEqualTo("proceeded");
        assertThat(store.size()).isZero();
    }

    @Test
    void shouldNameListenerInExceptionsWhenInstalled() {
        DeduplicatingAdvice advice = advice(settings().build());
        advice.bindTo(new ContainerView(new SimpleMessageListenerContainer(), "orders-listener"));
        ListenerCall call = ListenerCall.succeeding(message(null));

        assertThatThrownBy(() -> advice.invoke(call))
                .hasMessageStartingWith("Rejected by deduplication on listener 'orders-listener': ");
        assertThat(advice.listenerName()).isEqualTo("orders-listener");
    }

    private DedupSettings.Builder settings() {
        return DedupSettings.builder().group("orders");
    }

    private Deduplicator deduplicator(DedupSettings settings) {
        return new Deduplicator(settings, store);
    }

    private DeduplicatingAdvice advice(DedupSettings settings) {
        return new DeduplicatingAdvice(deduplicator(settings));
    }

    private ClaimState stateOf(String eventId) {
        return store.inspect(settings().build().keyFor(eventId)).state();
    }

    private static Message message(Object eventId) {
        return new Message("body".getBytes(StandardCharsets.UTF_8), properties(eventId));
    }

    private static Message message(Object eventId, long deliveryTag) {
        Message message = message(eventId);
        message.getMessageProperties().setDeliveryTag(deliveryTag);
        return message;
    }

    private static MessageProperties properties(Object eventId) {
        MessageProperties properties = new MessageProperties();
        properties.setConsumerQueue("orders");
        if (eventId != null) {
            properties.setHeader(HEADER, eventId);
        }
        return properties;
    }
}
