package io.github.listenerdedup.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A monotonic clock that moves only when a test, or a paused delivery, moves it.
 */
final class FakeTime implements LongSupplier, Pacer {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private Runnable onPause = () -> { };
    private int pauses;

    @Override
    public long getAsLong() {
        return nanos.get();
    }

    @Override
    public void pause(long pauseNanos) {
        pauses++;
        nanos.addAndGet(pauseNanos);
        onPause.run();
    }

    void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    void onPause(Runnable action) {
        this.onPause = action;
    }

    int pauses() {
        return pauses;
    }
}
