package io.github.listenerdedup.it.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.it.HandlerRuns;
import io.github.listenerdedup.it.RecordingClaimStore;
import io.github.listenerdedup.it.TestServices;
import io.github.listenerdedup.jms.DeduplicatingSessionListener;
import io.github.listenerdedup.jms.JmsDeduplication;
import jakarta.jms.JMSException;
import jakarta.jms.MessageListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

/**
 * A broker that keeps its messages in KahaDB is stopped and started again on the same port in the middle of a
 * stream, while consumers and the publisher reconnect through the failover transport: every event is handled
 * exactly once, none is lost, and none is dead-lettered only because the restart redelivered it. The consumers'
 * connection factory has ActiveMQ's own duplicate check off, which the decorators warn about otherwise: after a
 * reconnect it poison-acks redeliveries to the dead-letter queue.
 */
class JmsBrokerRestartIT {

    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final String HEADER = DedupSettings.DEFAULT_HEADER_NAME;
    private static final int EVENTS = 400;

    @TempDir
    static Path dataDirectory;

    private static RestartableActiveMq activeMq;

    private final RecordingClaimStore store = new RecordingClaimStore(TestServices.sharedRedisStore());
    private final HandlerRuns runs = new HandlerRuns();
    private final OutcomeCounts outcomes = new OutcomeCounts();
    private final String queue = EmbeddedActiveMq.uniqueQueue("restart");
    private final String group = "restart-" + UUID.randomUUID();
    private final Deduplicator deduplicator = new Deduplicator(DedupSettings.builder().group(group)
            .lease(Duration.ofSeconds(10)).retention(Duration.ofMinutes(10)).build(), store, outcomes);
    private DefaultMessageListenerContainer container;
    private PlainConsumers plainConsumers;

    @BeforeAll
    static void startBroker() throws Exception {
        activeMq = RestartableActiveMq.start(dataDirectory);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        activeMq.stop();
    }

    @AfterEach
    void stopConsumers() throws JMSException {
        if (container != null) {
            container.shutdown();
        }
        if (plainConsumers != null) {
            plainConsumers.close();
        }
    }

    @Test
    void shouldHandleEachEventOnceWhenBrokerRestartsUnderTransactedContainer() throws Exception {
        container = new DefaultMessageListenerContainer();
        container.setConnectionFactory(activeMq.failoverConnectionFactory());
        container.setDestinationName(queue);
        container.setConcurrentConsumers(2);
        container.setReceiveTimeout(100);
        container.setMessageListener(TestListeners.succeeding(runs));
        SessionMode.TRANSACTED.applyTo(container);
        JmsDeduplication.applyTo(container, deduplicator);
        container.afterPropertiesSet();
        container.start();

        publishRestartingMidStream();
    }

    @Test
    void shouldHandleEachEventOnceWhenBrokerRestartsUnderPlainClientAcknowledge() throws Exception {
        plainConsumers = PlainConsumers.open(activeMq.failoverConnectionFactory())
                .add(queue, SessionMode.CLIENT_ACKNOWLEDGE, TestListeners.succeeding(runs), deduplicator)
                .add(queue, SessionMode.CLIENT_ACKNOWLEDGE, TestListeners.succeeding(runs), deduplicator)
                .start();

        publishRestartingMidStream();
    }

    @Test
    void shouldWarnAtStartupWhenFailoverConnectionChecksDuplicates() throws Exception {
        MessageListener listener = TestListeners.succeeding(runs);

        List<String> lines = TestLogs.during(DeduplicatingSessionListener.class, () -> plainConsumers =
                PlainConsumers.open(activeMq.checkingDuplicatesConnectionFactory())
                        .add(queue, SessionMode.TRANSACTED, listener, deduplicator));

        assertThat(TestLogs.messages(lines, "WARN")).containsExactly("The ActiveMQ connection of a transacted "
                + "session uses the failover transport with checkForDuplicates=true: after a reconnect the client "
                + "poison-acks a redelivered message it had handed to a listener before, and the broker dead-letters "
                + "it; set checkForDuplicates=false on the connection factory (or jms.checkForDuplicates=false in the "
                + "broker URL), since the deduplicator recognises redeliveries itself");
    }

    /**
     * Publishes the first half of the events, restarts the broker once a quarter is handled while publishing the
     * second half, and checks the outcome. Every third event is published twice.
     */
    private void publishRestartingMidStream() throws Exception {
        publish(0, EVENTS / 2);
        await().atMost(SETTLE).until(() -> runs.succeededIds().size() >= EVENTS / 4);

        int handledBeforeRestart = runs.succeededIds().size();
        CompletableFuture<Void> restart = CompletableFuture.runAsync(this::restartBroker);
        publish(EVENTS / 2, EVENTS);
        restart.get(SETTLE.toSeconds(), TimeUnit.SECONDS);

        await().atMost(SETTLE).until(() -> runs.succeededIds().size() == EVENTS);
        await().atMost(SETTLE).until(() -> activeMq.isDrained(queue));
        assertThat(handledBeforeRestart).as("restarted in the middle of the stream").isLessThan(EVENTS);
        List<String> ids = IntStream.range(0, EVENTS).mapToObj(JmsBrokerRestartIT::idOf).toList();
        assertThat(runs.successCounts()).as("each event handled exactly once").hasSize(EVENTS)
                .allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
        assertThat(runs.succeededIds()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(activeMq.deadLettersFrom(queue)).as("nothing dead-lettered").isEmpty();
        assertThat(outcomes.of(DeliveryOutcome.DUPLICATE)).isGreaterThanOrEqualTo(duplicatesPublished());
        assertThat(ids).allSatisfy(id -> assertThat(store.inspect(deduplicator.settings().keyFor(id)).state())
                .isEqualTo(ClaimState.COMPLETED));
    }

    private void publish(int from, int to) throws JMSException {
        for (int i = from; i < to; i++) {
            int copies = i % 3 == 0 ? 2 : 1;
            for (int copy = 0; copy < copies; copy++) {
                activeMq.publish(queue, Map.of(HEADER, idOf(i)), "payload " + i);
            }
        }
    }

    private void restartBroker() {
        try {
            activeMq.restart();
        } catch (Exception e) {
            throw new IllegalStateException("the broker did not restart", e);
        }
    }

    private static int duplicatesPublished() {
        return (EVENTS + 2) / 3;
    }

    private static String idOf(int i) {
        return "E-" + i;
    }

}
