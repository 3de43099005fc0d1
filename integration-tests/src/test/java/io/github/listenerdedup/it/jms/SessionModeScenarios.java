package io.github.listenerdedup.it.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.core.ClaimSnapshot;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.jms.DeduplicatingMessageListener;
import jakarta.jms.MessageListener;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.apache.activemq.command.ActiveMQMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a deduplicated consumer must do in each session mode it supports, on a real broker: duplicates run once; a
 * failure is redelivered and succeeds, and the messages after it still flow; a message that keeps failing ends in
 * the dead-letter queue with its claim released and one WARN per failure naming {@code JMSXDeliveryCount}; a
 * rejected delivery is copied to the dead-letter queue once and its original consumed.
 *
 * <p>A test class extends it, says how to start a consumer, and lists its modes in a static {@code modes()}.
 */
abstract class SessionModeScenarios extends ActiveMqTestBase {

    final List<Integer> deliveryCounts = new CopyOnWriteArrayList<>();
    final String queue = EmbeddedActiveMq.uniqueQueue("modes");
    final String group = "modes-" + UUID.randomUUID();
    final Deduplicator deduplicator = new Deduplicator(DedupSettings.builder().group(group).build(), store,
            outcomes);

    /**
     * Starts one deduplicated consumer of {@link #queue}, deciding by {@link #deduplicator}.
     *
     * @param mode     the session mode
     * @param listener the listener to decorate
     */
    abstract void start(SessionMode mode, MessageListener listener) throws Exception;

    /** @return the decorator class whose logger writes the WARN line of each failure */
    abstract Class<?> decoratorClass();

    @ParameterizedTest
    @MethodSource("modes")
    void shouldRunOnceWhenEventIsDeliveredTwice(SessionMode mode) throws Exception {
        start(mode, TestListeners.succeeding(runs));

        activeMq.publish(queue, Map.of(HEADER, "E-twice"), "first");
        activeMq.publish(queue, Map.of(HEADER, "E-twice"), "second");

        await().atMost(SETTLE).until(() -> outcomes.of(DeliveryOutcome.DUPLICATE) == 1);
        awaitDrained(queue);
        assertThat(runs.startsOf("E-twice")).isEqualTo(1);
        assertThat(stateOf("E-twice")).isEqualTo(ClaimState.COMPLETED);
    }

    @ParameterizedTest
    @MethodSource("modes")
    void shouldRedeliverAndSucceedWhenHandlerFailsOnce(SessionMode mode) throws Exception {
        start(mode, TestListeners.failingFirst(1, runs, deliveryCounts));

        activeMq.publish(queue, Map.of(HEADER, "E-once"), "body");
        activeMq.publish(queue, Map.of(HEADER, "E-next"), "body");

        await().atMost(SETTLE).until(() -> runs.successesOf("E-once") == 1 && runs.successesOf("E-next") == 1);
        awaitDrained(queue);
        assertThat(deliveryCounts).containsExactlyInAnyOrder(1, 2, 1, 2);
        assertThat(store.releases()).isEqualTo(2);
        assertThat(stateOf("E-once")).isEqualTo(ClaimState.COMPLETED);
        assertThat(stateOf("E-next")).isEqualTo(ClaimState.COMPLETED);
        assertThat(activeMq.deadLettersFrom(queue)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("modes")
    void shouldDeadLetterWithClaimReleasedAndWarnEachTimeWhenHandlerKeepsFailing(SessionMode mode)
            throws Exception {
        int deliveries = EmbeddedActiveMq.MAXIMUM_REDELIVERIES + 1;

        List<String> lines = TestLogs.during(decoratorClass(), () -> {
            start(mode, TestListeners.failingFirst(Integer.MAX_VALUE, runs, deliveryCounts));
            activeMq.publish(queue, Map.of(HEADER, "E-poison"), "body");
            await().atMost(SETTLE).until(() -> activeMq.deadLettersFrom(queue).size() == 1);
            awaitDrained(queue);
        });

        assertThat(deliveryCounts).containsExactlyElementsOf(IntStream.rangeClosed(1, deliveries).boxed().toList());
        ClaimSnapshot claim = store.inspect(deduplicator.settings().keyFor("E-poison"));
        assertThat(claim.state()).isEqualTo(ClaimState.RELEASED);
        assertThat(claim.attempts()).isEqualTo(deliveries);
        assertThat(TestLogs.messages(lines, "WARN")).containsExactlyElementsOf(IntStream.rangeClosed(1, deliveries)
                .mapToObj(count -> "Listener of group '" + group + "' failed on event id E-poison (JMSXDeliveryCount "
                        + count + ") from queue '" + queue + "': java.lang.IllegalStateException: attempt " + count
                        + " of E-poison fails; its claim was released, and the broker redelivers the message or "
                        + "dead-letters it after its maximum redeliveries")
                .toList());
        ActiveMQMessage deadLetter = activeMq.deadLettersFrom(queue).get(0);
        assertThat(deadLetter.getProperty(DeduplicatingMessageListener.REJECT_REASON_PROPERTY))
                .as("dead-lettered by the broker, not rejected by the decorator").isNull();
    }

    @ParameterizedTest
    @MethodSource("modes")
    void shouldCopyRejectedDeliveryOnceAndConsumeOriginalWhenIdIsMissing(SessionMode mode) throws Exception {
        start(mode, TestListeners.succeeding(runs));

        activeMq.publish(queue, Map.of(), "no id");
        activeMq.publish(queue, Map.of(HEADER, "E-after"), "next");

        await().atMost(SETTLE).until(() -> runs.successesOf("E-after") == 1);
        awaitDrained(queue);
        List<ActiveMQMessage> deadLetters = activeMq.deadLettersFrom(queue);
        assertThat(deadLetters).hasSize(1);
        assertThat(deadLetters.get(0).getStringProperty(DeduplicatingMessageListener.REJECT_REASON_PROPERTY))
                .isEqualTo("rejected-id: event id MISSING (no value)");
        assertThat(outcomes.of(DeliveryOutcome.REJECTED_ID)).as("rejected once, never redelivered").isEqualTo(1);
        assertThat(runs.totalStarts()).isEqualTo(1);
    }

    ClaimState stateOf(String eventId) {
        return store.inspect(deduplicator.settings().keyFor(eventId)).state();
    }
}
