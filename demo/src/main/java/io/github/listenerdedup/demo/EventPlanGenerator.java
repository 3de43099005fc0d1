package io.github.listenerdedup.demo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Generates a stream of events with duplicates and failures, the same for the same seed. About one event in five
 * is sent twice and one in ten three times; about one in twenty fails on its first try.
 *
 * <p>Where copies go: a second copy is published either right after the first, so that another consumer takes
 * it while the first is still in its handler, or a little later, after the first was handled; a third copy always
 * comes later.
 */
public final class EventPlanGenerator {

    /** Percentage of events sent twice. */
    static final int PERCENT_TWICE = 20;
    /** Percentage of events sent three times. */
    static final int PERCENT_THREE_TIMES = 10;
    /** Percentage of events whose handler fails on the first try. */
    static final int PERCENT_FAIL_FIRST = 5;
    /** How many positions at most a later copy trails its event's first copy by. */
    static final int LATER_COPY_SPREAD = 40;

    private EventPlanGenerator() {
    }

    /**
     * Generates a plan.
     *
     * @param events how many distinct events, at least 1
     * @param seed   the seed: the same seed gives the same plan
     * @return the plan
     */
    public static EventPlan generate(int events, long seed) {
        Random random = new Random(seed);
        List<Slot> slots = new ArrayList<>();
        Set<String> failFirst = new LinkedHashSet<>();
        for (int i = 0; i < events; i++) {
            PlannedDelivery delivery = new PlannedDelivery(eventId(i, events), payload(i, random));
            slots.add(new Slot(i, delivery));
            int roll = random.nextInt(100);
            if (roll < PERCENT_THREE_TIMES) {
                slots.add(new Slot(i + 0.5, delivery));
                slots.add(new Slot(laterPosition(i, random), delivery));
            } else if (roll < PERCENT_THREE_TIMES + PERCENT_TWICE) {
                double position = random.nextBoolean() ? i + 0.5 : laterPosition(i, random);
                slots.add(new Slot(position, delivery));
            }
            if (random.nextInt(100) < PERCENT_FAIL_FIRST) {
                failFirst.add(delivery.eventId());
            }
        }
        slots.sort(Comparator.comparingDouble(Slot::position));
        List<PlannedDelivery> deliveries = slots.stream().map(Slot::delivery).toList();
        return new EventPlan("generated with seed " + seed, deliveries, failFirst);
    }

    private static String eventId(int index, int events) {
        int width = Math.max(4, String.valueOf(events).length());
        return String.format("event-%0" + width + "d", index + 1);
    }

    private static String payload(int index, Random random) {
        int cents = 100 + random.nextInt(99_900);
        return String.format("charge order %d: %d.%02d EUR", 1000 + index, cents / 100, cents % 100);
    }

    private static double laterPosition(int index, Random random) {
        return index + 1.5 + random.nextInt(LATER_COPY_SPREAD);
    }

    private record Slot(double position, PlannedDelivery delivery) {
    }
}
