package io.github.listenerdedup.it.faults;

import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.ClaimSnapshot;
import io.github.listenerdedup.core.ClaimStore;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.OutcomeListener;
import io.github.listenerdedup.it.HandlerRuns;
import io.github.listenerdedup.it.RecordingClaimStore;
import io.github.listenerdedup.it.jms.EmbeddedActiveMq;
import io.github.listenerdedup.it.redis.RedisServerProcess;
import io.github.listenerdedup.jms.JmsDeduplication;
import io.github.listenerdedup.store.redis.RedisClaimStore;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

/**
 * What the end-to-end fault cases share: a Redis process of the class's own that a test may stop, stall or start
 * again, a store on it with the default client timeout of one second, an embedded ActiveMQ broker, a random queue
 * and group per test, and handler runs counted by event id (each message's body is its event id).
 *
 * <p>Consumers pull one message at a time (prefetch 0), so a consumer busy in its handler never holds a second
 * copy back from an idle one, and the broker redelivers a rolled-back message up to
 * {@value #MAXIMUM_REDELIVERIES} times, enough for the requeues of an outage the tests wait out.
 */
abstract class FaultCaseSupport {

    /** How long a test waits for deliveries to settle. */
    static final Duration SETTLE = Duration.ofSeconds(30);
    /** Redeliveries before the broker dead-letters a message. */
    static final int MAXIMUM_REDELIVERIES = 20;
    /** The root logger of the library, whose lines the tests capture. */
    static final String LIBRARY_LOGGER = "io.github.listenerdedup";

    protected static RedisServerProcess redis;
    protected static RedisClaimStore redisStore;
    protected static EmbeddedActiveMq activeMq;

    protected final HandlerRuns runs = new HandlerRuns();
    protected final String queue = EmbeddedActiveMq.uniqueQueue("faults");
    protected final String group = "faults-" + UUID.randomUUID();
    private final List<Deduplicator> deduplicators = new ArrayList<>();
    private int consumers;

    @BeforeAll
    static void startServices() throws Exception {
        redis = RedisServerProcess.start();
        redisStore = RedisClaimStore.connect(redis.uri(""));
        activeMq = EmbeddedActiveMq.start();
        activeMq.connectionFactory().getRedeliveryPolicy().setMaximumRedeliveries(MAXIMUM_REDELIVERIES);
        activeMq.connectionFactory().getPrefetchPolicy().setQueuePrefetch(0);
    }

    @AfterAll
    static void stopServices() throws Exception {
        activeMq.stop();
        redisStore.close();
        redis.close();
    }

    @AfterEach
    void stopConsumers() {
        activeMq.stopContainers();
        deduplicators.forEach(Deduplicator::close);
        if (!redis.isRunning()) {
            redis.restart();
        }
    }

    /** @return settings for the test's group, otherwise the defaults */
    protected DedupSettings.Builder settings() {
        return DedupSettings.builder().group(group);
    }

    /**
     * Creates a deduplicator that is closed after the test.
     *
     * @param settings the settings
     * @param store    its store, wrapping {@link #redisStore}
     * @param outcomes hears its outcomes
     * @return the deduplicator
     */
    protected Deduplicator deduplicator(DedupSettings settings, ClaimStore store, OutcomeListener outcomes) {
        Deduplicator deduplicator = new Deduplicator(settings, store, outcomes);
        deduplicators.add(deduplicator);
        return deduplicator;
    }

    /**
     * Starts one more consumer on the test's queue and waits until the broker counts it.
     *
     * @param deduplicator decides its deliveries
     * @param listener     the handler
     */
    protected void startConsumer(Deduplicator deduplicator, MessageListener listener) {
        startConsumer(JmsDeduplication.of(deduplicator), listener);
    }

    /**
     * Starts one more consumer on the test's queue and waits until the broker counts it.
     *
     * @param installation how its deliveries are deduplicated
     * @param listener     the handler
     */
    protected void startConsumer(JmsDeduplication installation, MessageListener listener) {
        DefaultMessageListenerContainer container = activeMq.transactedContainer(queue, 1, listener);
        installation.applyTo(container);
        activeMq.start(container, ++consumers);
    }

    /** @return a store that records its answers, on the class's Redis */
    protected static RecordingClaimStore recordingStore() {
        return new RecordingClaimStore(redisStore);
    }

    /** @return a handler that counts one run of the message's event id and succeeds */
    protected MessageListener countingListener() {
        return message -> {
            String eventId = idOf(message);
            runs.started(eventId);
            runs.succeeded(eventId);
        };
    }

    /**
     * Publishes a persistent message whose header and body are the event id.
     *
     * @param eventId the event id
     */
    protected void publish(String eventId) {
        try {
            activeMq.publish(queue, Map.of(DedupSettings.DEFAULT_HEADER_NAME, eventId), eventId);
        } catch (JMSException e) {
            throw new IllegalStateException("Could not publish " + eventId, e);
        }
    }

    /** Waits until the test's queue holds no message, waiting or unacknowledged. */
    protected void awaitDrained() {
        await().atMost(SETTLE).until(() -> activeMq.isDrained(queue));
    }

    /** @return the claim of an event id in the test's group */
    protected ClaimSnapshot claimOf(String eventId) {
        return redisStore.inspect(new ClaimKey(DedupSettings.DEFAULT_KEY_PREFIX, group, eventId));
    }

    /** @return the event id a message carries in its header */
    protected static String idOf(Message message) {
        try {
            return message.getStringProperty(DedupSettings.DEFAULT_HEADER_NAME);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
