package io.github.listenerdedup.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventPlanGeneratorTest {

    @Test
    void shouldGenerateTheSamePlanWhenTheSeedIsTheSame() {
        EventPlan first = EventPlanGenerator.generate(300, 11);
        EventPlan second = EventPlanGenerator.generate(300, 11);

        assertThat(second.deliveries()).isEqualTo(first.deliveries());
        assertThat(second.failFirstIds()).isEqualTo(first.failFirstIds());
        assertThat(EventPlanGenerator.generate(300, 12).deliveries()).isNotEqualTo(first.deliveries());
    }

    @Test
    void shouldSendEveryEventOnceToThreeTimesWhenGenerating() {
        EventPlan plan = EventPlanGenerator.generate(200, 5);

        assertThat(plan.eventIds()).hasSize(200).first().isEqualTo("event-0001");
        assertThat(plan.eventsByCopies().keySet()).containsAnyOf(2, 3).allMatch(copies -> copies >= 1 && copies <= 3);
        int deliveries = plan.eventsByCopies().entrySet().stream()
                .mapToInt(entry -> entry.getKey() * entry.getValue()).sum();
        assertThat(plan.deliveries()).hasSize(deliveries);
        assertThat(plan.duplicateCopies()).isEqualTo(deliveries - 200);
        assertThat(plan.eventIds()).containsAll(plan.failFirstIds());
    }

    @Test
    void shouldDuplicateAndFailAtAboutTheDocumentedRatesWhenTheStreamIsLong() {
        int events = 20_000;
        EventPlan plan = EventPlanGenerator.generate(events, 99);

        Map<Integer, Integer> byCopies = plan.eventsByCopies();
        assertThat(byCopies.get(2)).isBetween(percent(events, 18), percent(events, 22));
        assertThat(byCopies.get(3)).isBetween(percent(events, 9), percent(events, 11));
        assertThat(plan.failFirstIds().size()).isBetween(percent(events, 4), percent(events, 6));
    }

    @Test
    void shouldPublishSomeSecondCopiesRightAfterTheFirstAndSomeLaterWhenGenerating() {
        List<PlannedDelivery> deliveries = EventPlanGenerator.generate(500, 3).deliveries();

        int adjacent = 0;
        int later = 0;
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < deliveries.size(); i++) {
            Integer first = firstIndex.putIfAbsent(deliveries.get(i).eventId(), i);
            if (first != null && first == i - 1) {
                adjacent++;
            } else if (first != null) {
                later++;
            }
        }
        assertThat(adjacent).isPositive();
        assertThat(later).isPositive();
        assertThat(adjacent + later).isEqualTo(deliveries.size() - 500);
    }

    @Test
    void shouldKeepTheSamePayloadForEveryCopyWhenGenerating() {
        EventPlan plan = EventPlanGenerator.generate(300, 8);

        Map<String, String> payloads = new HashMap<>();
        plan.deliveries().forEach(delivery -> assertThat(payloads.computeIfAbsent(delivery.eventId(),
                id -> delivery.payload())).isEqualTo(delivery.payload()));
    }

    @Test
    void shouldWidenIdsWhenThereAreManyEvents() {
        assertThat(EventPlanGenerator.generate(100_000, 1).eventIds()).first().isEqualTo("event-000001");
    }

    private static int percent(int total, int percent) {
        return total * percent / 100;
    }
}
