package io.github.listenerdedup.demo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The stream the demo publishes, in order: each event once or more (the copies after the first are duplicate
 * deliveries), and the events whose handler fails on its first try.
 */
public final class EventPlan {

    private final String source;
    private final List<PlannedDelivery> deliveries;
    private final Set<String> eventIds;
    private final Set<String> failFirstIds;

    /**
     * Creates a plan.
     *
     * @param source       where the events came from, for the summary
     * @param deliveries   the messages to publish, in order
     * @param failFirstIds the events whose first try fails
     * @throws IllegalArgumentException when there is no delivery, or a fail-first id has no delivery
     */
    public EventPlan(String source, List<PlannedDelivery> deliveries, Set<String> failFirstIds) {
        this.source = source;
        this.deliveries = List.copyOf(deliveries);
        Set<String> ids = new LinkedHashSet<>();
        deliveries.forEach(delivery -> ids.add(delivery.eventId()));
        this.eventIds = Collections.unmodifiableSet(ids);
        this.failFirstIds = Collections.unmodifiableSet(new LinkedHashSet<>(failFirstIds));
        if (this.deliveries.isEmpty()) {
            throw new IllegalArgumentException("a plan needs at least one delivery");
        }
        if (!ids.containsAll(failFirstIds)) {
            throw new IllegalArgumentException("every fail-first id needs a delivery, but got " + failFirstIds);
        }
    }

    /** @return where the events came from, for example {@code generated with seed 42} */
    public String source() {
        return source;
    }

    /** @return the messages to publish, in order */
    public List<PlannedDelivery> deliveries() {
        return deliveries;
    }

    /** @return every event id, in the order of its first delivery */
    public Set<String> eventIds() {
        return eventIds;
    }

    /** @return the events whose handler fails on its first try */
    public Set<String> failFirstIds() {
        return failFirstIds;
    }

    /** @return how many copies beyond the first were planned, over all events */
    public int duplicateCopies() {
        return deliveries.size() - eventIds.size();
    }

    /** @return for each number of copies, how many events are sent that many times, in ascending order */
    public Map<Integer, Integer> eventsByCopies() {
        Map<String, Integer> copies = new LinkedHashMap<>();
        deliveries.forEach(delivery -> copies.merge(delivery.eventId(), 1, Integer::sum));
        Map<Integer, Integer> histogram = new TreeMap<>();
        copies.values().forEach(count -> histogram.merge(count, 1, Integer::sum));
        return histogram;
    }

    /** @return one line that says what the plan sends, for example {@code 200 events in 258 deliveries ...} */
    public String describe() {
        StringBuilder text = new StringBuilder()
                .append(eventIds.size()).append(eventIds.size() == 1 ? " event" : " events")
                .append(" in ").append(deliveries.size()).append(deliveries.size() == 1 ? " delivery" : " deliveries");
        eventsByCopies().forEach((copies, events) -> {
            if (copies > 1) {
                text.append(", ").append(events).append(" sent ").append(timesWord(copies));
            }
        });
        return text.append(", ").append(failFirstIds.size()).append(" failing on the first try").toString();
    }

    private static String timesWord(int copies) {
        return switch (copies) {
            case 2 -> "twice";
            case 3 -> "three times";
            default -> copies + " times";
        };
    }
}
