package io.github.listenerdedup.it.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.jms.JmsDeduplication;
import jakarta.jms.JMSException;
import jakarta.jms.MessageListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

/**
 * Many consumers, many events, duplicates, failures and a consumer that dies mid-handler, on ActiveMQ.
 *
 * <p>Two transacted containers, A and B, of two consumers each share one consumer group. {@value #EVENTS} events
 * are published, every third one twice, and the first attempt of one in twenty fails. Once a third of the events
 * are handled, A is stopped abruptly: each of its two consumers is left blocked in its handler after the handler's
 * effect, the lease renewal of A stops as if its process had died, and A's connection is closed under it. A new
 * container takes A's place. The messages A held come back to the queue and wait, held and redelivered, until the
 * dead consumer's lease (2 s) runs out; B then handles them again. Those are the crash window: an event whose handler
 * finished its effect but whose claim was never completed. Every other event is handled exactly once, none is lost,
 * nothing is dead-lettered, and the queue ends drained.
 *
 * <p>Sized from a measured run: the 20,000 events (about 27,700 deliveries) took 17 s on the 2-core build machine
 * while other builds ran (load average 10). The library's DEBUG lines, one per delivery, are off for this test.
 */
class JmsSoakIT extends ActiveMqTestBase {

    private static final Duration SOAK_SETTLE = Duration.ofMinutes(3);
    private static final int EVENTS = 20_000;
    private static final int CONSUMERS_PER_CONTAINER = 2;

    private final String queue = EmbeddedActiveMq.uniqueQueue("soak");
    private final String group = "soak-" + UUID.randomUUID();
    private final AtomicBoolean crashArmed = new AtomicBoolean();
    private final CountDownLatch consumersOfACrashed = new CountDownLatch(CONSUMERS_PER_CONTAINER);
    private final CountDownLatch releaseCrashedHandlers = new CountDownLatch(1);
    private final Set<String> crashWindow = ConcurrentHashMap.newKeySet();
    private final Set<String> firstAttemptsInCrash = ConcurrentHashMap.newKeySet();

    private static Level libraryLogLevel;

    @BeforeAll
    static void quietLibraryDebugLines() {
        libraryLogLevel = libraryLogger().getLevel();
        libraryLogger().setLevel(Level.INFO);
    }

    @AfterAll
    static void restoreLibraryLogLevel() {
        libraryLogger().setLevel(libraryLogLevel);
    }

    @AfterEach
    void releaseHandlers() {
        releaseCrashedHandlers.countDown();
    }

    @Test
    void shouldHandleEachEventOnceExceptCrashWindowWhenConsumerDiesMidStream() throws Exception {
        Deduplicator deduplicatorA = deduplicator();
        DefaultMessageListenerContainer containerA = start(deduplicatorA, crashingWhenArmed());
        start(deduplicator(), handler());
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(this::publishAll);

        await().atMost(SOAK_SETTLE).until(() -> runs.succeededIds().size() >= EVENTS / 3);
        crashArmed.set(true);
        assertThat(consumersOfACrashed.await(SOAK_SETTLE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        deduplicatorA.close();
        CompletableFuture<Void> stoppingA = CompletableFuture.runAsync(containerA::shutdown);
        start(deduplicator(), handler());

        publishing.get(SOAK_SETTLE.toSeconds(), TimeUnit.SECONDS);
        await().atMost(SOAK_SETTLE).until(() -> runs.succeededIds().size() == EVENTS);
        await().atMost(SOAK_SETTLE).until(() -> activeMq.isDrained(queue));
        releaseCrashedHandlers.countDown();
        stoppingA.get(SOAK_SETTLE.toSeconds(), TimeUnit.SECONDS);

        assertExactlyOnceOutsideCrashWindow();
        await().atMost(SOAK_SETTLE).until(() -> outcomes.of(DeliveryOutcome.LEASE_LOST) == crashWindow.size());
    }

    private void assertExactlyOnceOutsideCrashWindow() throws Exception {
        List<String> ids = IntStream.range(0, EVENTS).mapToObj(JmsSoakIT::idOf).toList();
        assertThat(crashWindow).hasSize(CONSUMERS_PER_CONTAINER);
        assertThat(runs.succeededIds()).containsExactlyInAnyOrderElementsOf(ids);
        Map<String, Integer> counts = runs.successCounts();
        assertThat(counts).allSatisfy((id, count) -> assertThat(count)
                .as("handlings of %s", id).isEqualTo(crashWindow.contains(id) ? 2 : 1));
        assertThat(activeMq.deadLettersFrom(queue)).isEmpty();
        long failingFirst = ids.stream().filter(JmsSoakIT::failsFirst).count() - firstAttemptsInCrash.size();
        assertThat(outcomes.of(DeliveryOutcome.RELEASED)).as("one failure for each event whose first attempt fails, "
                + "except where A's dying consumer made that attempt").isEqualTo(failingFirst);
        assertThat(outcomes.of(DeliveryOutcome.DUPLICATE)).isGreaterThanOrEqualTo(EVENTS / 3);
    }

    private DefaultMessageListenerContainer start(Deduplicator deduplicator, MessageListener listener) {
        DefaultMessageListenerContainer container = activeMq.transactedContainer(queue, CONSUMERS_PER_CONTAINER,
                listener);
        container.setConnectionFactory(soakConnectionFactory());
        JmsDeduplication.applyTo(container, deduplicator);
        activeMq.start(container, 0);
        return container;
    }

    /** Redelivers without stopping the consumer for the delay, so a failed event does not stall the others. */
    private ActiveMQConnectionFactory soakConnectionFactory() {
        ActiveMQConnectionFactory factory = activeMq.connectionFactory(EmbeddedActiveMq.MAXIMUM_REDELIVERIES);
        factory.setNonBlockingRedelivery(true);
        return factory;
    }

    private Deduplicator deduplicator() {
        DedupSettings settings = DedupSettings.builder()
                .group(group)
                .lease(Duration.ofSeconds(2))
                .retention(Duration.ofMinutes(10))
                .inFlightWait(Duration.ofSeconds(1))
                .build();
        return new Deduplicator(settings, store, outcomes);
    }

    private void publishAll() {
        try {
            for (int i = 0; i < EVENTS; i++) {
                int copies = i % 3 == 0 ? 2 : 1;
                for (int copy = 0; copy < copies; copy++) {
                    activeMq.publish(queue, Map.of(HEADER, idOf(i)), "payload " + i);
                }
            }
        } catch (JMSException e) {
            throw new IllegalStateException("publishing failed", e);
        }
    }

    /** The handler: the first attempt of one event in twenty fails. */
    private MessageListener handler() {
        return message -> {
            String id = TestListeners.idOf(message);
            int attempt = runs.started(id);
            if (attempt == 1 && failsFirst(id)) {
                throw new IllegalStateException("first attempt of " + id + " fails");
            }
            runs.succeeded(id);
        };
    }

    /** The handler of container A: once armed, each consumer does its effect and then hangs, as if it died. */
    private MessageListener crashingWhenArmed() {
        MessageListener handler = handler();
        return message -> {
            if (!crashArmed.get()) {
                handler.onMessage(message);
                return;
            }
            String id = TestListeners.idOf(message);
            if (runs.started(id) == 1 && failsFirst(id)) {
                firstAttemptsInCrash.add(id);
            }
            runs.succeeded(id);
            crashWindow.add(id);
            consumersOfACrashed.countDown();
            awaitUninterruptibly(releaseCrashedHandlers);
        };
    }

    /**
     * Waits through the interrupts of the container's shutdown, and swallows them: the consumer is dead, and what its
     * thread does once released at the end of the test is cleaning up, which an interrupt would only turn into a
     * store failure.
     */
    private static void awaitUninterruptibly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                Thread.interrupted();
            }
        }
    }

    /** The library's root logger: its DEBUG lines, one per delivery, are turned off for this test. */
    private static Logger libraryLogger() {
        return (Logger) LoggerFactory.getLogger("io.github.listenerdedup");
    }

    private static boolean failsFirst(String id) {
        return Integer.parseInt(id.substring(2)) % 20 == 0;
    }

    private static String idOf(int i) {
        return "E-" + i;
    }
}
