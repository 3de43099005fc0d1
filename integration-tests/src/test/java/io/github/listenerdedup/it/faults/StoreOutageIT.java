package io.github.listenerdedup.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.CapturedLogs;
import io.github.listenerdedup.core.ClaimResult.Status;
import io.github.listenerdedup.core.ClaimSnapshot;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.core.StoreFailurePolicy;
import io.github.listenerdedup.it.RecordingClaimStore;
import io.github.listenerdedup.it.jms.OutcomeCounts;
import jakarta.jms.JMSException;
import jakarta.jms.MessageListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Case C06 end to end through ActiveMQ: the test's Redis process is stopped while deliveries arrive, and started
 * again (empty) a moment later. Fail-closed holds each delivery with backoff, requeues it, and runs it once Redis is
 * back, logging one ERROR when the store becomes unreachable and one INFO when it returns; fail-open runs it without
 * a claim and says so at WARN. A store that fails between a successful handler and its completion leaves the
 * delivery acknowledged, with a WARN.
 */
class StoreOutageIT extends FaultCaseSupport {

    private static final Duration IN_FLIGHT_WAIT = Duration.ofSeconds(1);

    private final OutcomeCounts outcomes = new OutcomeCounts();
    private final Map<String, List<Integer>> deliveryCounts = new ConcurrentHashMap<>();

    @Test
    void shouldHoldRequeueAndRunOnceAfterwardsWhenStoreIsDownAndFailClosed() throws Exception {
        Deduplicator deduplicator = deduplicator(settings().inFlightWait(IN_FLIGHT_WAIT).build(), recordingStore(),
                outcomes);
        startConsumer(deduplicator, deliveryCountingListener());
        publish("E6-before");
        await().atMost(SETTLE).until(() -> outcomes.of(DeliveryOutcome.PROCESSED) == 1);

        String logs = CapturedLogs.during(LIBRARY_LOGGER, () -> {
            redis.stop();
            publish("E6");
            publish("E6b");
            await().atMost(SETTLE).until(() -> outcomes.of(DeliveryOutcome.STORE_UNAVAILABLE) >= 2);
            assertThat(runs.totalStarts()).as("handler runs during the outage").isOne();
            redis.restart();
            await().atMost(SETTLE).until(() -> runs.successesOf("E6") == 1 && runs.successesOf("E6b") == 1);
            awaitDrained();
        });

        assertThat(logs.lines().filter(line -> line.startsWith("ERROR"))).singleElement().asString()
                .startsWith("ERROR io.github.listenerdedup.core.StoreHealth - Claim store became unreachable (group "
                        + group + "): Redis could not claim dedup:" + group + ":E6");
        assertThat(logs.lines().filter(line -> line.startsWith("INFO"))).containsExactly(
                "INFO io.github.listenerdedup.core.StoreHealth - Claim store is reachable again (group " + group + ")");
        assertThat(logs).contains("WARN io.github.listenerdedup.core.Deduplicator - Requeued delivery of dedup:"
                + group + ":E6: the store is unreachable after waiting PT1S");
        assertThat(deliveryCounts.get("E6")).as("the run came from a redelivery").last().matches(count -> count > 1);
        assertThat(List.of("E6", "E6b")).allSatisfy(id -> {
            assertThat(runs.startsOf(id)).as("runs of %s", id).isOne();
            assertThat(claimOf(id)).extracting(ClaimSnapshot::state, ClaimSnapshot::attempts)
                    .containsExactly(ClaimState.COMPLETED, 1);
        });
        assertThat(activeMq.deadLettersFrom(queue)).isEmpty();
        publish("E6-after");
        await().atMost(SETTLE).until(() -> runs.successesOf("E6-after") == 1);
    }

    @Test
    void shouldRunWithoutClaimAndWarnWhenStoreIsDownAndFailOpen() {
        RecordingClaimStore store = recordingStore();
        Deduplicator deduplicator = deduplicator(settings().storeFailure(StoreFailurePolicy.FAIL_OPEN).build(), store,
                outcomes);
        startConsumer(deduplicator, countingListener());

        String logs = CapturedLogs.during(LIBRARY_LOGGER, () -> {
            redis.stop();
            publish("E6");
            await().atMost(SETTLE).until(() -> runs.successesOf("E6") == 1);
            awaitDrained();
        });

        assertThat(runs.startsOf("E6")).isOne();
        assertThat(outcomes.of(DeliveryOutcome.PROCESSED_WITHOUT_CLAIM)).isOne();
        assertThat(logs).contains("WARN io.github.listenerdedup.core.Deduplicator - Running handler for dedup:"
                + group + ":E6 without a claim: the store is unreachable (fail-open)");
        assertThat(store.claimCalls()).as("claims tried").isPositive();
        assertThat(store.keysClaimed()).hasSize(1);
        assertThat(Status.values()).allSatisfy(status -> assertThat(store.claimsAnswered(status)).isZero());
    }

    @Test
    void shouldAcknowledgeAndWarnWhenCompletionCannotBeRecordedAfterHandlerSucceeded() throws Exception {
        Deduplicator deduplicator = deduplicator(settings().build(), recordingStore(), outcomes);
        startConsumer(deduplicator, message -> {
            String eventId = idOf(message);
            runs.started(eventId);
            redis.stop();
            runs.succeeded(eventId);
        });

        String logs = CapturedLogs.during(LIBRARY_LOGGER, () -> {
            publish("E6c");
            await().atMost(SETTLE).until(() -> outcomes.of(DeliveryOutcome.COMPLETION_LOST) == 1);
            awaitDrained();
        });

        assertThat(runs.startsOf("E6c")).isOne();
        assertThat(logs).contains("WARN io.github.listenerdedup.core.Deduplicator - Handled dedup:" + group
                + ":E6c but could not record its completion: the store is unreachable; acknowledged anyway");
        assertThat(activeMq.deadLettersFrom(queue)).isEmpty();
    }

    private MessageListener deliveryCountingListener() {
        return message -> {
            String eventId = idOf(message);
            try {
                deliveryCounts.computeIfAbsent(eventId, id -> new CopyOnWriteArrayList<>())
                        .add(message.getIntProperty("JMSXDeliveryCount"));
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
            runs.started(eventId);
            runs.succeeded(eventId);
        };
    }
}
