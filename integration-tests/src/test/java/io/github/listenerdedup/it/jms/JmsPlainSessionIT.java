package io.github.listenerdedup.it.jms;

import static org.assertj.core.api.Assertions.assertThat;
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
import io.github.listenerdedup.jms.DeduplicatingSessionListener;
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

/**
 * A plain JMS listener on the ActiveMQ client, decorated by {@link DeduplicatingSessionListener}, in every session
 * mode: duplicates run once; a failure is redelivered (by ActiveMQ under AUTO, DUPS_OK and INDIVIDUAL acknowledge,
 * by the decorator's {@code recover()} or {@code rollback()} under CLIENT acknowledge and in a transacted session)
 * and succeeds; a message that keeps failing ends in the dead-letter queue with its claim released; a rejected
 * delivery is copied once and its original consumed.
 */
class JmsPlainSessionIT {

    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final String HEADER = DedupSettings.DEFAULT_HEADER_NAME;

    private static EmbeddedActiveMq activeMq;

    private final RecordingClaimStore store = new RecordingClaimStore(TestServices.sharedRedisStore());
    private final HandlerRuns runs = new HandlerRuns();
    private final OutcomeCounts outcomes = new OutcomeCounts();
    private final List<Integer> deliveryCounts = new CopyOnWriteArrayList<>();
    private final String queue = EmbeddedActiveMq.uniqueQueue("plain");
    private final String group = "plain-" + UUID.randomUUID();
    private final Deduplicator deduplicator = new Deduplicator(DedupSettings.builder().group(group).build(), store,
            outcomes);
    private PlainConsumers consumers;

    @BeforeAll
    static void startBroker() throws Exception {
        activeMq = EmbeddedActiveMq.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        activeMq.stop();
    }

    @AfterEach
    void closeConsumers() throws JMSException {
        if (consumers != null) {
            consumers.close();
        }
    }

    @ParameterizedTest
    @EnumSource(SessionMode.class)
    void shouldRunOnceWhenEventIsDeliveredTwice(SessionMode mode) throws Exception {
        start(mode, failingTimes(0));

        activeMq.publish(queue, Map.of(HEADER, "E-twice"), "first");
        activeMq.publish(queue, Map.of(HEADER, "E-twice"), "second");

        await().atMost(SETTLE).until(() -> outcomes.of(DeliveryOutcome.DUPLICATE) == 1);
        awaitDrained();
        assertThat(runs.startsOf("E-twice")).isEqualTo(1);
        assertThat(stateOf("E-twice")).isEqualTo(ClaimState.COMPLETED);
        assertThat(consumers.listeners().get(0).acknowledgeMode()).isEqualTo(modeName(mode));
    }

    @ParameterizedTest
    @EnumSource(SessionMode.class)
    void shouldRedeliverAndSucceedWhenHandlerFailsOnce(SessionMode mode) throws Exception {
        start(mode, failingTimes(1));

        activeMq.publish(queue, Map.of(HEADER, "E-once"), "body");
        activeMq.publish(queue, Map.of(HEADER, "E-next"), "body");

        await().atMost(SETTLE).until(() -> runs.successesOf("E-once") == 1 && runs.successesOf("E-next") == 1);
        awaitDrained();
        assertThat(runs.startsOf("E-once")).isEqualTo(2);
        assertThat(runs.startsOf("E-next")).isEqualTo(2);
        assertThat(store.releases()).isEqualTo(2);
        assertThat(stateOf("E-once")).isEqualTo(ClaimState.COMPLETED);
        assertThat(activeMq.deadLettersFrom(queue)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(SessionMode.class)
    void shouldDeadLetterWithClaimReleasedAndWarnEachTimeWhenHandlerKeepsFailing(SessionMode mode)
            throws Exception {
        int deliveries = EmbeddedActiveMq.MAXIMUM_REDELIVERIES + 1;

        List<String> lines = TestLogs.during(DeduplicatingSessionListener.class, () -> {
            start(mode, failingTimes(Integer.MAX_VALUE));
            activeMq.publish(queue, Map.of(HEADER, "E-poison"), "body");
            await().atMost(SETTLE).until(() -> activeMq.deadLettersFrom(queue).size() == 1);
            awaitDrained();
        });

        assertThat(deliveryCounts).containsExactlyElementsOf(IntStream.rangeClosed(1, deliveries).boxed().toList());
        ClaimSnapshot claim = store.inspect(deduplicator.settings().keyFor("E-poison"));
        assertThat(claim.state()).isEqualTo(ClaimState.RELEASED);
        assertThat(claim.attempts()).isEqualTo(deliveries);
        assertThat(TestLogs.messages(lines, "WARN")).hasSize(deliveries).allSatisfy(line -> assertThat(line)
                .startsWith("Listener of group '" + group + "' failed on event id E-poison (JMSXDeliveryCount "));
        assertThat(TestLogs.messages(lines, "WARN").get(deliveries - 1)).contains("(JMSXDeliveryCount " + deliveries
                + ")");
    }

    @ParameterizedTest
    @EnumSource(SessionMode.class)
    void shouldCopyRejectedDeliveryOnceAndConsumeOriginalWhenIdIsMissing(SessionMode mode) throws Exception {
        start(mode, failingTimes(0));

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

    private void start(SessionMode mode, MessageListener listener) throws JMSException {
        consumers = PlainConsumers.open(activeMq.connectionFactory())
                .add(queue, mode, listener, deduplicator)
                .start();
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

    private static String modeName(SessionMode mode) {
        return switch (mode) {
            case TRANSACTED -> "transacted";
            case INDIVIDUAL_ACKNOWLEDGE -> "INDIVIDUAL_ACKNOWLEDGE (4)";
            default -> mode.name();
        };
    }

    private static String property(Message message, String name) {
        try {
            return message.getStringProperty(name);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
