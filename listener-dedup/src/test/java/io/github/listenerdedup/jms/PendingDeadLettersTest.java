package io.github.listenerdedup.jms;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PendingDeadLettersTest {

    private final AtomicLong clock = new AtomicLong();
    private final PendingDeadLetters pending = new PendingDeadLetters(Duration.ofSeconds(30), clock::get);

    @Test
    void shouldGiveReasonOnceWhenRedeliveryArrives() {
        pending.add("ID:1", "max-attempts: why");

        assertThat(pending.take("ID:1")).isEqualTo("max-attempts: why");
        assertThat(pending.take("ID:1")).isNull();
    }

    @Test
    void shouldForgetMessageWhenRedeliveryComesAfterLease() {
        pending.add("ID:2", "max-attempts: why");
        clock.addAndGet(Duration.ofSeconds(31).toNanos());

        assertThat(pending.take("ID:2")).isNull();
    }

    @Test
    void shouldDropExpiredMessagesWhenAnotherIsAdded() {
        pending.add("ID:3", "old");
        clock.addAndGet(Duration.ofSeconds(31).toNanos());
        pending.add("ID:4", "new");
        clock.addAndGet(-Duration.ofSeconds(31).toNanos());

        assertThat(pending.take("ID:3")).as("dropped, though the clock went back").isNull();
        assertThat(pending.take("ID:4")).isEqualTo("new");
    }

    @Test
    void shouldAnswerNothingWhenMessageHasNoId() {
        pending.add("ID:5", "reason");

        assertThat(pending.take(null)).isNull();
    }
}
