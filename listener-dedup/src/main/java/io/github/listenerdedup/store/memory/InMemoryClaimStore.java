package io.github.listenerdedup.store.memory;

import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.ClaimResult;
import io.github.listenerdedup.core.ClaimSnapshot;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.ClaimStore;
import io.github.listenerdedup.core.OwnerToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * A {@link ClaimStore} in this JVM's memory, with the same states, answers and expiry as the Redis store. Claims
 * are lost when the JVM stops and are not shared with other processes: use it for tests, demos and a single
 * consumer instance.
 *
 * <p>Expired claims are removed when their key is next touched, and by a sweep after as many operations as the
 * store holds keys (at least {@value #SWEEP_EVERY}): memory stays within twice the claims alive within the
 * retention, and each operation pays a constant share of the sweeps.
 */
public final class InMemoryClaimStore implements ClaimStore {

    static final int SWEEP_EVERY = 4096;

    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicInteger operationsSinceSweep = new AtomicInteger();
    private final LongSupplier nanoTime;
    private final Clock clock;

    /** Creates an empty store on the system clock. */
    public InMemoryClaimStore() {
        this(System::nanoTime, Clock.systemUTC());
    }

    /**
     * Creates an empty store on given clocks, so tests can move time.
     *
     * @param nanoTime the monotonic time that drives expiry, in nanoseconds
     * @param clock    the wall clock for completion times
     */
    public InMemoryClaimStore(LongSupplier nanoTime, Clock clock) {
        this.nanoTime = nanoTime;
        this.clock = clock;
    }

    @Override
    public ClaimResult claim(ClaimKey key, OwnerToken token, String fingerprint, Duration lease) {
        ClaimResult[] answer = new ClaimResult[1];
        update(key, (now, current) -> {
            if (current == null || current.state == ClaimState.RELEASED) {
                int attempt = current == null ? 1 : current.attempts + 1;
                answer[0] = ClaimResult.acquired(token.value(), attempt, lease);
                return new Entry(ClaimState.IN_PROGRESS, token.value(), attempt, fingerprint, null, now, lease);
            }
            Duration left = current.timeLeft(now);
            if (current.state == ClaimState.COMPLETED) {
                answer[0] = ClaimResult.completed(current.owner, current.fingerprint, left);
            } else if (current.owner.equals(token.value())) {
                answer[0] = ClaimResult.acquired(token.value(), current.attempts, left);
            } else {
                answer[0] = ClaimResult.inProgress(current.owner, left);
            }
            return current;
        });
        return answer[0];
    }

    @Override
    public boolean renew(ClaimKey key, OwnerToken token, Duration lease) {
        boolean[] owned = new boolean[1];
        update(key, (now, current) -> {
            if (current != null && current.isInProgressFor(token)) {
                owned[0] = true;
                return current.with(ClaimState.IN_PROGRESS, null, now, lease);
            }
            return current;
        });
        return owned[0];
    }

    @Override
    public boolean complete(ClaimKey key, OwnerToken token, Duration retention) {
        return transition(key, token, ClaimState.COMPLETED, retention);
    }

    @Override
    public boolean release(ClaimKey key, OwnerToken token, Duration retention) {
        return transition(key, token, ClaimState.RELEASED, retention);
    }

    @Override
    public boolean discard(ClaimKey key, OwnerToken token) {
        boolean[] done = new boolean[1];
        update(key, (now, current) -> {
            if (current == null) {
                done[0] = true;
                return null;
            }
            boolean owned = current.owner.equals(token.value()) && current.state != ClaimState.COMPLETED;
            done[0] = owned;
            return owned ? null : current;
        });
        return done[0];
    }

    @Override
    public ClaimSnapshot inspect(ClaimKey key) {
        long now = nanoTime.getAsLong();
        Entry entry = entries.get(key.render());
        if (entry == null || entry.isExpired(now)) {
            return ClaimSnapshot.ABSENT;
        }
        return new ClaimSnapshot(entry.state, entry.owner, entry.attempts, entry.fingerprint, entry.completedAt,
                entry.timeLeft(now));
    }

    @Override
    public boolean forget(ClaimKey key) {
        boolean[] existed = new boolean[1];
        update(key, (now, current) -> {
            existed[0] = current != null;
            return null;
        });
        return existed[0];
    }

    /**
     * How many keys the store holds, expired ones not yet swept included.
     *
     * @return the number of keys
     */
    public int size() {
        return entries.size();
    }

    private boolean transition(ClaimKey key, OwnerToken token, ClaimState target, Duration ttl) {
        boolean[] done = new boolean[1];
        update(key, (now, current) -> {
            if (current == null || !current.owner.equals(token.value())) {
                return current;
            }
            if (current.state == target) {
                done[0] = true;
                return current;
            }
            if (current.state != ClaimState.IN_PROGRESS) {
                return current;
            }
            done[0] = true;
            Instant completedAt = target == ClaimState.COMPLETED ? clock.instant() : null;
            return current.with(target, completedAt, now, ttl);
        });
        return done[0];
    }

    private void update(ClaimKey key, Change change) {
        long now = nanoTime.getAsLong();
        entries.compute(key.render(), (k, current) -> {
            Entry live = current == null || current.isExpired(now) ? null : current;
            return change.apply(now, live);
        });
        if (operationsSinceSweep.incrementAndGet() >= Math.max(SWEEP_EVERY, entries.size())) {
            operationsSinceSweep.set(0);
            entries.values().removeIf(entry -> entry.isExpired(nanoTime.getAsLong()));
        }
    }

    @FunctionalInterface
    private interface Change {
        Entry apply(long now, Entry current);
    }

    private static final class Entry {

        final ClaimState state;
        final String owner;
        final int attempts;
        final String fingerprint;
        final Instant completedAt;
        final long expiresAt;

        Entry(ClaimState state, String owner, int attempts, String fingerprint, Instant completedAt, long now,
                Duration ttl) {
            this.state = state;
            this.owner = owner;
            this.attempts = attempts;
            this.fingerprint = fingerprint;
            this.completedAt = completedAt;
            this.expiresAt = now + ttl.toNanos();
        }

        Entry with(ClaimState newState, Instant newCompletedAt, long now, Duration ttl) {
            return new Entry(newState, owner, attempts, fingerprint, newCompletedAt, now, ttl);
        }

        boolean isInProgressFor(OwnerToken token) {
            return state == ClaimState.IN_PROGRESS && owner.equals(token.value());
        }

        boolean isExpired(long now) {
            return now - expiresAt >= 0;
        }

        Duration timeLeft(long now) {
            return Duration.ofNanos(Math.max(0, expiresAt - now));
        }
    }
}
