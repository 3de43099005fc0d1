package io.github.listenerdedup.it.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.it.TestServices;
import io.github.listenerdedup.it.rabbit.RabbitTestBroker.TestQueue;
import io.github.listenerdedup.rabbit.RabbitDeduplication;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * The soak run, on a classic and on a quorum queue: four consumer containers, {@value #EVENTS} events, a third of
 * them published twice (half of the copies right behind the original, so two consumers hold one id at once), one in
 * twenty failing on its first try, and one container stopped abruptly while its handler runs, then started again.
 * Every id is handled; none twice, except where a handler finished but its claim could not be completed (counted,
 * and reported); the queue is drained and nothing is dead-lettered at the end.
 *
 * <p>Sized from a measured run: on the 2-core build machine, with other builds running (load average 13), the
 * 20,000 events were handled in 13 s on a classic queue and 14 s on a quorum queue, about 18 s per test with
 * publishing, well inside the 90 s allowed to each; so the full size runs.
 */
class RabbitSoakIT extends RabbitCaseSupport {

    static final int EVENTS = 20_000;
    private static final int CONTAINERS = 4;
    private static final int DUPLICATE_EVERY = 3;
    private static final int FAIL_EVERY = 20;
    private static final int VICTIM_RUN = 1_000;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    private static final org.slf4j.Logger log = LoggerFactory.getLogger(RabbitSoakIT.class);

    private static final List<String> QUIET_LOGGERS = List.of("io.github.listenerdedup.core",
            "io.github.listenerdedup.rabbit", "org.springframework.amqp.rabbit.listener");

    private final Map<DeliveryOutcome, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    private final Set<String> claimsNotCompleted = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> decisionsById = new ConcurrentHashMap<>();
    private final AtomicReference<String> victimId = new AtomicReference<>();
    private final CountDownLatch victimInside = new CountDownLatch(1);
    private final CountDownLatch victimMayFinish = new CountDownLatch(1);
    private final Map<String, Level> levels = new ConcurrentHashMap<>();

    /** A line per delivery would cost more than the run itself: only errors are logged. */
    @BeforeEach
    void quietLogs() {
        for (String name : QUIET_LOGGERS) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            if (logger.getLevel() != null) {
                levels.put(name, logger.getLevel());
            }
            logger.setLevel(Level.ERROR);
        }
    }

    @AfterEach
    void restoreLogs() {
        QUIET_LOGGERS.forEach(name -> ((Logger) LoggerFactory.getLogger(name)).setLevel(levels.get(name)));
    }

    @ParameterizedTest(name = "{0} queue")
    @ValueSource(strings = {"classic", "quorum"})
    void shouldHandleEveryIdOnceWhenConsumersFailDuplicatesArriveAndOneContainerStopsMidHandler(String type)
            throws Exception {
        TestQueue queue = type.equals("quorum") ? broker.declareQuorumQueue("soak", 50) : broker.declareQueue("soak");
        Deduplicator deduplicator = soakDeduplicator();
        List<SimpleMessageListenerContainer> containers = new ArrayList<>();
        for (int i = 0; i < CONTAINERS; i++) {
            containers.add(start(queue, deduplicator, i == 0));
        }
        broker.awaitConsumers(queue, CONTAINERS);
        long started = System.nanoTime();

        List<String> ids = publishEvents(queue);
        assertThat(victimInside.await(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        stopAbruptlyAndRestart(containers.get(0));

        await().atMost(RUN_TIMEOUT).until(() -> runs.succeededIds().size() == EVENTS);
        await().atMost(RUN_TIMEOUT).until(() -> broker.isDrained(queue));
        log.info("Soak on a {} queue: {} events, {} deliveries handled in {} ms; outcomes {}; handled twice after a "
                + "claim was not completed: {}", type, EVENTS, runs.totalStarts(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), outcomes, claimsNotCompleted.size());
        assertThat(runs.succeededIds()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(runs.successCounts()).allSatisfy((id, count) -> assertThat(count == 1
                || claimsNotCompleted.contains(id)).as("%s handled %d times", id, count).isTrue());
        assertThat(broker.deadLetterCount(queue)).isZero();
        assertThat(count(DeliveryOutcome.RELEASED)).isEqualTo(EVENTS / FAIL_EVERY);
        assertThat(count(DeliveryOutcome.DUPLICATE)).isGreaterThanOrEqualTo(duplicateCopies());
        assertThat(decisionsById.get(victimId.get())).as("decisions on %s, whose handler ran while its container "
                + "stopped: the delivery came back", victimId.get()).hasValueGreaterThanOrEqualTo(2);
    }

    private Deduplicator soakDeduplicator() {
        DedupSettings settings = settings().inFlightWait(Duration.ofSeconds(5)).lease(Duration.ofSeconds(10)).build();
        return new Deduplicator(settings, TestServices.sharedRedisStore(), (group, id, outcome) -> {
            outcomes.computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet();
            decisionsById.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet();
            if (outcome == DeliveryOutcome.LEASE_LOST || outcome == DeliveryOutcome.COMPLETION_LOST) {
                claimsNotCompleted.add(id);
            }
        });
    }

    private SimpleMessageListenerContainer start(TestQueue queue, Deduplicator deduplicator, boolean victim) {
        SimpleMessageListenerContainer container = broker.simpleContainer(queue, 1, broker.newConnectionFactory());
        container.setShutdownTimeout(100);
        container.setRecoveryInterval(100);
        container.setMessageListener(listener(victim));
        RabbitDeduplication.applyTo(container, deduplicator);
        container.start();
        return container;
    }

    private MessageListener listener(boolean victim) {
        AtomicInteger handled = new AtomicInteger();
        return message -> {
            String id = bodyOf(message);
            int attempt = runs.started(id);
            if (victim && handled.incrementAndGet() == VICTIM_RUN) {
                victimId.set(id);
                victimInside.countDown();
                awaitThroughInterrupts(victimMayFinish);
            }
            if (attempt == 1 && Integer.parseInt(id.substring(2)) % FAIL_EVERY == 0) {
                throw new IllegalStateException("the first try of " + id + " fails");
            }
            runs.succeeded(id);
        };
    }

    private List<String> publishEvents(TestQueue queue) {
        List<String> ids = new ArrayList<>(EVENTS);
        List<String> lateCopies = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            String id = "S-" + i;
            ids.add(id);
            broker.publish(queue, Map.of(DedupSettings.DEFAULT_HEADER_NAME, id), id);
            if (i % DUPLICATE_EVERY == 0) {
                if (i % (2 * DUPLICATE_EVERY) == 0) {
                    broker.publish(queue, Map.of(DedupSettings.DEFAULT_HEADER_NAME, id), id);
                } else {
                    lateCopies.add(id);
                }
            }
            if (lateCopies.size() == 500) {
                publishAll(queue, lateCopies);
                lateCopies.clear();
            }
        }
        publishAll(queue, lateCopies);
        return ids;
    }

    private void publishAll(TestQueue queue, List<String> ids) {
        ids.forEach(id -> broker.publish(queue, Map.of(DedupSettings.DEFAULT_HEADER_NAME, id), id));
    }

    /** Stops the container while its handler is inside, lets the handler finish on a closed channel, restarts. */
    private void stopAbruptlyAndRestart(SimpleMessageListenerContainer container) {
        container.stop();
        victimMayFinish.countDown();
        container.start();
    }

    private int count(DeliveryOutcome outcome) {
        AtomicInteger value = outcomes.get(outcome);
        return value == null ? 0 : value.get();
    }

    private static int duplicateCopies() {
        return (EVENTS + DUPLICATE_EVERY - 1) / DUPLICATE_EVERY;
    }

    /**
     * Waits for the latch even when the stopping container interrupts the thread, as a handler busy with I/O would
     * go on; the interrupt is kept for the code after the handler.
     */
    private static void awaitThroughInterrupts(CountDownLatch latch) {
        boolean interrupted = false;
        while (latch.getCount() > 0) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
