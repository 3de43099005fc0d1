package io.github.listenerdedup.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Whether the run kept its promise, judged from the handler's own records: every published event handled exactly
 * once, none lost, nothing handled that was never published, nothing left on the queue, and no time-out.
 *
 * @param passed whether every check held
 * @param line   the verdict line to print, starting with {@code VERDICT: PASS} or {@code VERDICT: FAIL}
 */
public record Verdict(boolean passed, String line) {

    /** How many ids a failing verdict names per problem before it says how many more there are. */
    static final int IDS_SHOWN = 5;

    /**
     * Judges a run.
     *
     * @param published     every event id published
     * @param handledCounts for each event the handler recorded, how many times it was handled to the end
     * @param leftOnQueue   deliveries still on the queue after the consumers stopped, or a negative number when
     *                      unknown
     * @param timedOutAfter how long the run waited before giving up, or {@code null} when everything settled
     * @return the verdict
     */
    public static Verdict judge(Set<String> published, Map<String, Integer> handledCounts, int leftOnQueue,
            Duration timedOutAfter) {
        List<String> problems = new ArrayList<>();
        List<String> lost = published.stream().filter(id -> !handledCounts.containsKey(id)).toList();
        if (!lost.isEmpty()) {
            String what = timedOutAfter == null ? " lost, never handled (" : " not handled before the time-out (";
            problems.add(lost.size() + what + names(lost.stream()) + ")");
        }
        List<String> repeated = handledCounts.entrySet().stream().filter(entry -> entry.getValue() > 1)
                .map(entry -> entry.getKey() + " " + entry.getValue() + " times").toList();
        if (!repeated.isEmpty()) {
            problems.add(repeated.size() + " handled more than once (" + names(repeated.stream()) + ")");
        }
        List<String> unknown = handledCounts.keySet().stream().filter(id -> !published.contains(id)).toList();
        if (!unknown.isEmpty()) {
            problems.add(unknown.size() + " handled but never published (" + names(unknown.stream()) + ")");
        }
        if (leftOnQueue > 0) {
            problems.add(leftOnQueue + (leftOnQueue == 1 ? " delivery" : " deliveries") + " left on the queue");
        }
        if (timedOutAfter != null) {
            problems.add("timed out after " + timedOutAfter.toSeconds() + " s waiting for the deliveries to settle");
        }
        String events = published.size() + (published.size() == 1 ? " event" : " events");
        if (problems.isEmpty()) {
            return new Verdict(true, "VERDICT: PASS - " + events + ", each handled exactly once, none lost");
        }
        return new Verdict(false, "VERDICT: FAIL - " + events + ": " + String.join("; ", problems));
    }

    /** @return the process exit code: 0 when passed, 1 when failed */
    public int exitCode() {
        return passed ? 0 : 1;
    }

    private static String names(Stream<String> ids) {
        List<String> all = ids.toList();
        String shown = all.stream().limit(IDS_SHOWN).collect(Collectors.joining(", "));
        return all.size() > IDS_SHOWN ? shown + " and " + (all.size() - IDS_SHOWN) + " more" : shown;
    }
}
