package io.github.listenerdedup.demo;

import io.github.listenerdedup.core.DeliveryOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The numbers of one run, from the handler's records, the library's outcome counters and the broker, and the lines
 * of the summary that prints them.
 *
 * @param events          distinct events published
 * @param published       deliveries published
 * @param handled         handler runs that succeeded, from the handler's records
 * @param failuresInjected first tries the handler made fail, from its records
 * @param retriedHandled  of those, events handled afterwards, from the handler's records
 * @param outcomes        every outcome the library reported, with its count
 * @param held            deliveries that found their event in progress on another consumer at least once
 * @param queueCounts     what was left on the broker, or {@code null} when it could not be asked
 * @param elapsed         from the first publish to the end of the wait
 */
public record RunReport(int events, int published, int handled, int failuresInjected, int retriedHandled,
        Map<DeliveryOutcome, Integer> outcomes, int held, DemoMessaging.QueueCounts queueCounts, Duration elapsed) {

    private static final String ROW = "  %-26s %6s  %s";

    /** @return the summary, one string a line */
    public List<String> summaryLines() {
        List<String> lines = new ArrayList<>();
        lines.add("Summary (" + elapsed.toMillis() + " ms)");
        lines.add(row("events", events, ""));
        lines.add(row("deliveries published", published, "(" + (published - events) + " duplicate copies)"));
        lines.add(row("handled", handled, "handler runs that succeeded, from the handler's records"));
        lines.add(row("duplicates skipped", count(DeliveryOutcome.DUPLICATE),
                "acknowledged without running the handler"));
        lines.add(row("failures released", count(DeliveryOutcome.RELEASED),
                "handler failed, claim released, delivery redelivered (" + failuresInjected + " injected)"));
        lines.add(row("retried and handled", retriedHandled, "of the events whose first try failed"));
        lines.add(row("held while in flight", held, "copies that waited while another consumer handled the event"));
        lines.add(row("requeued", count(DeliveryOutcome.IN_FLIGHT_REQUEUED) + count(DeliveryOutcome.STORE_UNAVAILABLE),
                "in-flight claim or store unreachable past the wait"));
        lines.add(row("rejected", count(DeliveryOutcome.REJECTED_ID), "unusable event id, to the dead-letter path"));
        if (queueCounts != null) {
            lines.add(row("left on the queue", queueCounts.remaining(), ""));
            lines.add(row("in the dead-letter queue", queueCounts.deadLettered(), ""));
        }
        lines.add("  library outcomes: " + outcomesText());
        return lines.stream().map(String::stripTrailing).toList();
    }

    private int count(DeliveryOutcome outcome) {
        return outcomes.getOrDefault(outcome, 0);
    }

    private String outcomesText() {
        if (outcomes.isEmpty()) {
            return "none";
        }
        return outcomes.entrySet().stream().map(entry -> entry.getKey().tag() + "=" + entry.getValue())
                .collect(Collectors.joining(", "));
    }

    private static String row(String label, int value, String note) {
        return String.format(ROW, label, value, note);
    }
}
