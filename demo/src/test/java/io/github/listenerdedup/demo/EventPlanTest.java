package io.github.listenerdedup.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventPlanTest {

    private static final PlannedDelivery A = new PlannedDelivery("a", "pa");
    private static final PlannedDelivery B = new PlannedDelivery("b", "pb");
    private static final PlannedDelivery C = new PlannedDelivery("c", "pc");

    @Test
    void shouldCountCopiesWhenEventsRepeat() {
        EventPlan plan = new EventPlan("test", List.of(A, B, A, C, A, B), Set.of("c"));

        assertThat(plan.eventIds()).containsExactly("a", "b", "c");
        assertThat(plan.duplicateCopies()).isEqualTo(3);
        assertThat(plan.eventsByCopies()).isEqualTo(Map.of(1, 1, 2, 1, 3, 1));
        assertThat(plan.describe()).isEqualTo("3 events in 6 deliveries, 1 sent twice, 1 sent three times, "
                + "1 failing on the first try");
    }

    @Test
    void shouldSaySingularWhenThereIsOneEvent() {
        assertThat(new EventPlan("test", List.of(A), Set.of()).describe())
                .isEqualTo("1 event in 1 delivery, 0 failing on the first try");
    }

    @Test
    void shouldRefuseAFailFirstIdWithoutDelivery() {
        assertThatThrownBy(() -> new EventPlan("test", List.of(A), Set.of("z")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("every fail-first id needs a delivery, but got [z]");
    }

    @Test
    void shouldRefuseAPlanWithoutDeliveries() {
        assertThatThrownBy(() -> new EventPlan("test", List.of(), Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a plan needs at least one delivery");
    }
}
