package io.github.listenerdedup.it.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.core.ClaimSnapshot;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.it.HandlerRuns;
import io.github.listenerdedup.it.RecordingClaimStore;
import io.github.listenerdedup.it.TestServices;
import io.github.listenerdedup.jms.DeduplicatingMessageListener;
import io.github.listenerdedup.jms.JmsDeduplication;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.apache.activemq.command.ActiveMQMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

/**
 * The Spring container in each session mode it supports, transacted, {@code CLIENT_ACKNOWLEDGE} and ActiveMQ's
 * {@code INDIVIDUAL_ACKNOWLEDGE}: duplicates run once, a failure is redelivered and succeeds, a message that keeps
 * failing ends in the dead-letter queue with its claim released and one WARN per failure, and a rejected delivery
 * is copied to the dead-letter queue once while its original is settled. The modes in which the container
 * acknowledges before the listener runs are refused at start-up.
 */
class JmsContainerModesIT {

    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final String HEADER = DedupSettings.DEFAULT_HEADER_NAME;

    private static EmbeddedActiveMq activeMq;

    private final RecordingClaimStore store = new RecordingClaimStore(TestServices.sharedRedisStore());
    private final HandlerRuns runs = new HandlerRuns();
    private final OutcomeCounts outcomes = new OutcomeCounts();
    private final List<Integer> deliveryCounts = new CopyOnWriteArrayList<>();
    private final String queue = EmbeddedActiveMq.uniqueQueue("modes");
    private final String group = "modes-" + UUID.randomUUID();
    private final Deduplicator deduplicator = new Deduplicator(DedupSettings.builder().group(group).build(), store,
            outcomes);

    @BeforeAll
    static void startBroker() throws Exception {
        activeMq = EmbeddedActiveMq.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        activeMq.stop();
    }

    @AfterEach
    void stopConsumers() {
        activeMq.stopContainers();
    }

    @ParameterizedTest
    @EnumSource(value = SessionMode.class, names = {"TRANSACTED", "CLIENT_ACKNOWLEDGE", "INDIVIDUAL_ACKNOWLEDGE"})
    void shouldRunOnceWhenEventIsDeliveredTwice(SessionMode mode) throws Exception {
        start(mode, succeeding());

        activeMq.publish(queue, Map.of(HEADER, "E-twice"), "first");
        activeMq.publish(queue, Map.of(HEADER, "E-twice"), "second");

        await().atMost(SETTLE).until(() -> outcomes.of(DeliveryOutcome.DUPLICATE) == 1);
        awaitDrained();
        assertThat(runs.startsOf("E-twice")).isEqualTo(1);
        assertThat(stateOf("E-twice")).isEqualTo(ClaimState.COMPLETED);
    }

    @ParameterizedTest
    @EnumSource(value = SessionMode.class, names = {"TRANSACTED", "CLIENT_ACKNOWLEDGE", "INDIVIDUAL_ACKNOWLEDGE"})
    void shouldRedeliverAndSucceedWhenHandlerFailsOnce(SessionMode mode) throws Exception {
        start(mode, failingTimes(1));

        activeMq.publish(queue, Map.of(HEADER, "E-once"), "body");

        await().atMost(SETTLE).until(() -> runs.successesOf("E-once") == 1);
        awaitDrained();
        assertThat(deliveryCounts).containsExactly(1, 2);
        assertThat(store.releases()).isEqualTo(1);
        assertThat(stateOf("E-once")).isEqualTo(ClaimState.COMPLETED);
        assertThat(activeMq.deadLettersFrom(queue)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = SessionMode.class, names = {"TRANSACTED", "CLIENT_ACKNOWLEDGE", "INDIVIDUAL_ACKNOWLEDGE"})
    void shouldDeadLetterWithClaimReleasedAndWarnEachTimeWhenHandlerKeepsFailing(SessionMode mode)
            throws Exception {
        int deliveries = EmbeddedActiveMq.MAXIMUM_REDELIVERIES + 1;

        List<String> lines = TestLogs.during(DeduplicatingMessageListener.class, () -> {
            start(mode, failingTimes(Integer.MAX_VALUE));
            activeMq.publish(queue, Map.of(HEADER, "E-poison"), "body");
            await().atMost(SETTLE).until(() -> activeMq.deadLettersFrom(queue).size() == 1);
            awaitDrained();
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
    @EnumSource(value = SessionMode.class, names = {"TRANSACTED", "CLIENT_ACKNOWLEDGE", "INDIVIDUAL_ACKNOWLEDGE"})
    void shouldCopyRejectedDeliveryOnceAndConsumeOriginalWhenIdIsMissing(SessionMode mode) throws Exception {
        start(mode, succeeding());

        activeMq.publish(queue, Map.of(), "no id");
        activeMq.publish(queue, Map.of(HEADER, "E-after"), "next");

        await().atMost(SETTLE).until(() -> runs.successesOf("E-after") == 1);
        awaitDrained();
        List<ActiveMQMessage> deadLetters = activeMq.deadLettersFrom(queue);
        assertThat(deadLetters).hasSize(1);
        assertThat(deadLetters.get(0).getStringProperty(DeduplicatingMessageListener.REJECT_REASON_PROPERTY))
                .isEqualTo("rejected-id: event id MISSING (no value)");
        assertThat(outcomes.of(DeliveryOutcome.REJECTED_ID)).as("rejected once, never redelivered").isEqualTo(1);
        assertThat(runs.totalStarts()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = SessionMode.class, names = {"AUTO_ACKNOWLEDGE", "DUPS_OK_ACKNOWLEDGE"})
    void shouldRefuseStartupWhenContainerAcknowledgesBeforeListener(SessionMode mode) throws Exception {
        activeMq.publish(queue, Map.of(HEADER, "E15"), "body");
        DefaultMessageListenerContainer container = activeMq.container(queue, 1, succeeding(), mode);

        assertThatThrownBy(() -> JmsDeduplication.applyTo(container, deduplicator))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("sessionTransacted=false with sessionAcknowledgeMode=" + mode.name() + " is refused for "
                        + "deduplication on queue '" + queue + "': this container acknowledges each message before "
                        + "the listener runs, so a delivery whose claim was released could never be retried; set "
                        + "sessionTransacted=true, or sessionAcknowledgeMode=CLIENT_ACKNOWLEDGE");
        assertThat(activeMq.queueSize(queue)).isEqualTo(1);
        assertThat(runs.totalStarts()).isZero();
    }

    private void start(SessionMode mode, MessageListener listener) {
        DefaultMessageListenerContainer container = activeMq.container(queue, 1, listener, mode);
        JmsDeduplication.applyTo(container, deduplicator);
        activeMq.start(container, 1);
    }

    private MessageListener succeeding() {
        return failingTimes(0);
    }

    /** A listener that fails the first {@code failures} attempts of each id, recording delivery counts. */
    private MessageListener failingTimes(int failures) {
        return message -> {
            String id = property(message, HEADER);
            deliveryCounts.add(Integer.valueOf(property(message, "JMSXDeliveryCount")));
            int attempt = runs.started(id);
            if (attempt <= failures) {
                throw new IllegalStateException("attempt " + attempt + " of " + id + " fails");
            }
            runs.succeeded(id);
        };
    }

    private void awaitDrained() {
        await().atMost(SETTLE).until(() -> activeMq.isDrained(queue));
    }

    private ClaimState stateOf(String eventId) {
        return store.inspect(deduplicator.settings().keyFor(eventId)).state();
    }

    private static String property(Message message, String name) {
        try {
            return message.getStringProperty(name);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
