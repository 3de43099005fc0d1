package io.github.listenerdedup.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class VerdictTest {

    private static final Set<String> PUBLISHED = new LinkedHashSet<>(List.of("e1", "e2", "e3"));

    @Test
    void shouldPassWhenEveryEventWasHandledExactlyOnce() {
        Verdict verdict = Verdict.judge(PUBLISHED, Map.of("e1", 1, "e2", 1, "e3", 1), 0, null);

        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.exitCode()).isZero();
        assertThat(verdict.line()).isEqualTo("VERDICT: PASS - 3 events, each handled exactly once, none lost");
    }

    @Test
    void shouldPassWhenTheQueueCountIsUnknown() {
        assertThat(Verdict.judge(Set.of("e1"), Map.of("e1", 1), -1, null).line())
                .isEqualTo("VERDICT: PASS - 1 event, each handled exactly once, none lost");
    }

    @Test
    void shouldFailWhenAnEventWasNeverHandled() {
        Verdict verdict = Verdict.judge(PUBLISHED, Map.of("e1", 1, "e3", 1), 0, null);

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.exitCode()).isEqualTo(1);
        assertThat(verdict.line()).isEqualTo("VERDICT: FAIL - 3 events: 1 lost, never handled (e2)");
    }

    @Test
    void shouldFailWhenAnEventWasHandledTwice() {
        Verdict verdict = Verdict.judge(PUBLISHED, new TreeMap<>(Map.of("e1", 2, "e2", 1, "e3", 3)), 0, null);

        assertThat(verdict.line())
                .isEqualTo("VERDICT: FAIL - 3 events: 2 handled more than once (e1 2 times, e3 3 times)");
    }

    @Test
    void shouldFailWhenAnEventWasHandledThatWasNeverPublished() {
        Verdict verdict = Verdict.judge(PUBLISHED, Map.of("e1", 1, "e2", 1, "e3", 1, "x", 1), 0, null);

        assertThat(verdict.line()).isEqualTo("VERDICT: FAIL - 3 events: 1 handled but never published (x)");
    }

    @Test
    void shouldFailWhenDeliveriesAreLeftOnTheQueue() {
        Verdict verdict = Verdict.judge(PUBLISHED, Map.of("e1", 1, "e2", 1, "e3", 1), 2, null);

        assertThat(verdict.line()).isEqualTo("VERDICT: FAIL - 3 events: 2 deliveries left on the queue");
    }

    @Test
    void shouldFailWhenTheWaitTimedOutEvenIfEveryEventWasHandled() {
        Verdict verdict = Verdict.judge(PUBLISHED, Map.of("e1", 1, "e2", 1, "e3", 1), 0, Duration.ofSeconds(90));

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.line())
                .isEqualTo("VERDICT: FAIL - 3 events: timed out after 90 s waiting for the deliveries to settle");
    }

    @Test
    void shouldListEveryProblemWhenThereAreSeveral() {
        Verdict verdict = Verdict.judge(PUBLISHED, Map.of("e1", 2), 1, Duration.ofSeconds(5));

        assertThat(verdict.line()).isEqualTo("VERDICT: FAIL - 3 events: 2 not handled before the time-out (e2, e3); "
                + "1 handled more than once (e1 2 times); 1 delivery left on the queue; "
                + "timed out after 5 s waiting for the deliveries to settle");
    }

    @Test
    void shouldNameTheFirstFewIdsWhenManyAreLost() {
        Set<String> published = new LinkedHashSet<>();
        for (int i = 1; i <= 8; i++) {
            published.add("e" + i);
        }

        assertThat(Verdict.judge(published, Map.of(), 0, null).line()).isEqualTo(
                "VERDICT: FAIL - 8 events: 8 lost, never handled (e1, e2, e3, e4, e5 and 3 more)");
    }
}
