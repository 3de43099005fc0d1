package io.github.listenerdedup.it.jms;

import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.it.HandlerRuns;
import io.github.listenerdedup.it.RecordingClaimStore;
import io.github.listenerdedup.it.TestServices;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * What the JMS integration tests share: an embedded broker for each test class, the shared Redis store behind a
 * recording store, counts of handler runs and of outcomes, and every container stopped after each test.
 */
abstract class ActiveMqTestBase {

    /** How long a test waits for the broker and the consumers to settle. */
    static final Duration SETTLE = Duration.ofSeconds(20);
    /** The property the tests publish ids in. */
    static final String HEADER = DedupSettings.DEFAULT_HEADER_NAME;

    static EmbeddedActiveMq activeMq;

    final RecordingClaimStore store = new RecordingClaimStore(TestServices.sharedRedisStore());
    final HandlerRuns runs = new HandlerRuns();
    final OutcomeCounts outcomes = new OutcomeCounts();

    @BeforeAll
    static void startBroker() throws Exception {
        activeMq = EmbeddedActiveMq.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        activeMq.stop();
    }

    @AfterEach
    void stopContainers() {
        activeMq.stopContainers();
    }

    /** Waits until the queue holds no message, neither waiting nor unacknowledged. */
    void awaitDrained(String queue) {
        await().atMost(SETTLE).until(() -> activeMq.isDrained(queue));
    }
}
