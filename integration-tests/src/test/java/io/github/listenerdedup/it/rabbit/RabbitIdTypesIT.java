package io.github.listenerdedup.it.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.LongString;
import com.rabbitmq.client.impl.LongStringHelper;
import io.github.listenerdedup.CapturedLogs;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.it.rabbit.RabbitTestBroker.TestQueue;
import io.github.listenerdedup.rabbit.DeduplicatingAdvice;
import io.github.listenerdedup.rabbit.RabbitDeduplication;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;

/**
 * C12: the id arrives in other types. Every text form of one id is one key; an integral number and its decimal
 * text are one key; an id over the maximum length is rejected to the dead-letter queue; a long string over Spring
 * AMQP's conversion limit is read in whatever form the container hands over.
 */
class RabbitIdTypesIT extends RabbitCaseSupport {

    private static final String HEADER = DedupSettings.DEFAULT_HEADER_NAME;

    @Test
    void shouldRunOnceWhenOneIdArrivesAsStringLongStringAndUtf8Bytes() {
        TestQueue queue = start("c12-text", settings().build());

        for (int copy = 0; copy < 2; copy++) {
            broker.publish(queue, Map.of(HEADER, "E12"), "E12");
            broker.publishRaw(queue, Map.of(HEADER, LongStringHelper.asLongString("E12")), "E12");
            broker.publish(queue, Map.of(HEADER, "E12".getBytes(StandardCharsets.UTF_8)), "E12");
        }

        awaitSettled(6, queue);
        assertThat(runs.startsOf("E12")).isEqualTo(1);
        assertThat(store.keysClaimed()).containsExactly(settings().build().keyFor("E12"));
        assertThat(stateOf("E12")).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldRunOnceWhenIdArrivesAsNumberAndAsItsDecimalText() {
        TestQueue queue = start("c12-number", settings().build());

        for (int copy = 0; copy < 2; copy++) {
            broker.publish(queue, Map.of(HEADER, 12345), "12345");
            broker.publish(queue, Map.of(HEADER, "12345"), "12345");
        }

        awaitSettled(4, queue);
        assertThat(runs.startsOf("12345")).isEqualTo(1);
        assertThat(store.keysClaimed()).containsExactly(settings().build().keyFor("12345"));
    }

    @Test
    void shouldRejectToDeadLetterWithoutClaimingWhenIdIsLongerThanMaximum() {
        TestQueue queue = start("c12-too-long", settings().build());
        String id = "E".repeat(2_000);

        broker.publish(queue, Map.of(HEADER, id), "too long");
        broker.publish(queue, Map.of(HEADER, id), "too long");

        await().atMost(SETTLE_TIMEOUT).until(() -> broker.deadLetterCount(queue) == 2);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(runs.totalStarts()).isZero();
        assertThat(store.claimCalls()).isZero();
    }

    @Test
    void shouldRunOnceWhenResolverHandsOverUuidAndHeaderCarriesItsCanonicalText() {
        UUID id = UUID.fromString("6f1c2a4e-0d3b-4c59-9a7e-2b8f5d1e3c70");
        TestQueue queue = broker.declareQueue("c12-uuid");
        SimpleMessageListenerContainer container = broker.simpleContainer(queue, 1);
        container.setMessageListener(countingListener());
        RabbitDeduplication.applyTo(container, new DeduplicatingAdvice(deduplicator(settings().build()),
                message -> UUID.fromString(bodyOf(message))));
        container.start();

        broker.publish(queue, Map.of(), id.toString());
        broker.publish(queue, Map.of(), id.toString().toUpperCase(Locale.ROOT));

        awaitSettled(2, queue);
        assertThat(runs.totalStarts()).isEqualTo(1);
        assertThat(store.keysClaimed()).containsExactly(settings().build().keyFor(id.toString()));
    }

    @Test
    void shouldEscapeControlCharactersWhenIdIsLogged() {
        String id = "E12\n\u001b[31mforged";
        TestQueue queue = broker.declareQueue("c12-control");
        SimpleMessageListenerContainer container = broker.simpleContainer(queue, 1);
        container.setMessageListener(message -> {
            throw new IllegalStateException("fails to be logged");
        });
        container.setDefaultRequeueRejected(false);
        RabbitDeduplication.applyTo(container, deduplicator(settings().build()));
        container.start();

        String logs = CapturedLogs.during(DeduplicatingAdvice.class, () -> {
            broker.publish(queue, Map.of(HEADER, id), "body");
            await().atMost(SETTLE_TIMEOUT).until(() -> broker.deadLetterCount(queue) == 1);
        });

        assertThat(logs).contains("on event E12\\n\\u001b[31mforged (first delivery)").doesNotContain("\u001b");
        assertThat(logs.lines()).allSatisfy(line -> assertThat(line).startsWith("WARN"));
    }

    @ParameterizedTest(name = "long strings converted to streams: {0}")
    @ValueSource(booleans = {false, true})
    void shouldRunOnceWhenLongStringIsOverConverterLimit(boolean convertToStream) {
        String id = "L".repeat(1_500);
        List<String> headerTypes = new CopyOnWriteArrayList<>();
        List<String> headerTexts = new CopyOnWriteArrayList<>();
        TestQueue queue = broker.declareQueue("c12-long-string");
        SimpleMessageListenerContainer container = broker.simpleContainer(queue, 1);
        container.setMessagePropertiesConverter(new DefaultMessagePropertiesConverter(1_024, convertToStream));
        container.setMessageListener(message -> {
            Object header = message.getMessageProperties().getHeaders().get(HEADER);
            headerTypes.add(header instanceof InputStream ? "stream"
                    : header instanceof LongString ? "LongString" : header.getClass().getName());
            headerTexts.add(textOf(header));
            countingListener().onMessage(message);
        });
        RabbitDeduplication.applyTo(container, deduplicator(settings().maxIdLength(2_000).build()));
        container.start();

        broker.publishRaw(queue, Map.of(HEADER, LongStringHelper.asLongString(id)), id);
        broker.publishRaw(queue, Map.of(HEADER, LongStringHelper.asLongString(id)), id);

        awaitSettled(2, queue);
        assertThat(runs.startsOf(id)).isEqualTo(1);
        assertThat(headerTypes).containsExactly(convertToStream ? "stream" : "LongString");
        assertThat(headerTexts).as("the header is still whole for the listener").containsExactly(id);
        assertThat(stateOf(id)).isEqualTo(ClaimState.COMPLETED);
    }

    private TestQueue start(String purpose, DedupSettings settings) {
        TestQueue queue = broker.declareQueue(purpose);
        SimpleMessageListenerContainer container = broker.simpleContainer(queue, 1);
        container.setMessageListener(countingListener());
        RabbitDeduplication.applyTo(container, deduplicator(settings));
        container.start();
        return queue;
    }

    private void awaitSettled(int deliveries, TestQueue queue) {
        await().atMost(SETTLE_TIMEOUT).until(() ->
                outcomeCount(DeliveryOutcome.PROCESSED) + outcomeCount(DeliveryOutcome.DUPLICATE) == deliveries);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(broker.deadLetterCount(queue)).isZero();
    }

    private static String textOf(Object header) {
        if (header instanceof LongString longString) {
            return new String(longString.getBytes(), StandardCharsets.UTF_8);
        }
        try {
            InputStream stream = (InputStream) header;
            stream.mark(Integer.MAX_VALUE);
            String text = new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            stream.reset();
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
