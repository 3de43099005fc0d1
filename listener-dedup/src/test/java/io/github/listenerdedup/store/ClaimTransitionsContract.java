package io.github.listenerdedup.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.ClaimResult;
import io.github.listenerdedup.core.ClaimResult.Status;
import io.github.listenerdedup.core.ClaimSnapshot;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.ClaimStore;
import io.github.listenerdedup.core.OwnerToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/**
 * The half of {@link ClaimStoreContract} that covers each operation's answers and state changes: the hooks a
 * store's test supplies, and claim, renew, complete and release from every state, by the owner and by another
 * token. Extend {@link ClaimStoreContract}, not this class.
 */
public abstract class ClaimTransitionsContract {

    /** A lease that does not run out during a test. */
    protected static final Duration LEASE = Duration.ofSeconds(30);
    /** A retention that does not run out during a test, longer than {@link #LEASE}. */
    protected static final Duration RETENTION = Duration.ofHours(1);

    /** The token of the first delivery in a test. */
    protected final OwnerToken first = OwnerToken.random();
    /** The token of another delivery of the same id. */
    protected final OwnerToken second = OwnerToken.random();

    /** @return the store under test, the same one for every call within a test */
    protected abstract ClaimStore store();

    /**
     * A key for an event id, in a prefix or group that no other test, run or user shares.
     *
     * @param eventId the event id, kept exactly
     * @return the key; the same for the same id within a test
     */
    protected abstract ClaimKey key(String eventId);

    /** @return a time to live short enough for a test to wait out, used with {@link #letShortTtlRunOut} */
    protected abstract Duration shortTtl();

    /**
     * Lets time pass until a key last written with {@link #shortTtl()} has run out, and returns once it has.
     *
     * @param key the key
     */
    protected abstract void letShortTtlRunOut(ClaimKey key);

    /**
     * The time left on a key as the backing store holds it, read past the store's API, in the convention of Redis
     * {@code PTTL}.
     *
     * @param key the key
     * @return milliseconds left; -1 when the key has no expiry; -2 when there is no key
     */
    protected abstract long storedTimeLeftMillis(ClaimKey key);

    /** @return the clock the store's completion times follow */
    protected Clock completionClock() {
        return Clock.systemUTC();
    }

    /** @return how far a completion time may stray from {@link #completionClock()} */
    protected Duration clockTolerance() {
        return Duration.ZERO;
    }

    @Test
    void shouldAcquireFirstAttemptWhenKeyIsAbsent() {
        ClaimKey key = key("E1");

        ClaimResult result = store().claim(key, first, null, LEASE);

        assertThat(result.status()).isEqualTo(Status.ACQUIRED);
        assertThat(result.owner()).isEqualTo(first.value());
        assertThat(result.attempt()).isEqualTo(1);
        assertThat(result.timeLeft()).isPositive().isLessThanOrEqualTo(LEASE);
        assertThat(store().inspect(key)).extracting(ClaimSnapshot::state, ClaimSnapshot::owner,
                ClaimSnapshot::attempts, ClaimSnapshot::fingerprint, ClaimSnapshot::completedAt)
                .containsExactly(ClaimState.IN_PROGRESS, first.value(), 1, null, null);
        assertExpiresWithin(key, LEASE);
    }

    @Test
    void shouldAnswerAcquiredUnchangedWhenSameTokenClaimsAgain() {
        ClaimKey key = key("E1");
        store().claim(key, first, "fp-1", LEASE);

        ClaimResult retry = store().claim(key, first, "fp-2", LEASE);

        assertThat(retry.status()).isEqualTo(Status.ACQUIRED);
        assertThat(retry.owner()).isEqualTo(first.value());
        assertThat(retry.attempt()).isEqualTo(1);
        assertThat(store().inspect(key).fingerprint()).isEqualTo("fp-1");
        assertThat(store().inspect(key).attempts()).isEqualTo(1);
    }

    @Test
    void shouldAnswerInProgressWithOwnerWhenAnotherTokenClaims() {
        ClaimKey key = key("E1");
        store().claim(key, first, null, LEASE);

        ClaimResult result = store().claim(key, second, null, LEASE);

        assertThat(result.status()).isEqualTo(Status.IN_PROGRESS);
        assertThat(result.owner()).isEqualTo(first.value());
        assertThat(result.attempt()).isZero();
        assertThat(result.timeLeft()).isPositive().isLessThanOrEqualTo(LEASE);
        assertThat(store().inspect(key).owner()).isEqualTo(first.value());
    }

    @Test
    void shouldAnswerCompletedWithFingerprintWhenClaimFindsCompletedClaim() {
        ClaimKey key = key("E1");
        store().claim(key, first, "sha-of-first", LEASE);
        store().complete(key, first, RETENTION);

        ClaimResult result = store().claim(key, second, "sha-of-second", LEASE);

        assertThat(result.status()).isEqualTo(Status.COMPLETED);
        assertThat(result.owner()).isEqualTo(first.value());
        assertThat(result.fingerprint()).isEqualTo("sha-of-first");
        assertThat(result.timeLeft()).isGreaterThan(LEASE).isLessThanOrEqualTo(RETENTION);
    }

    @Test
    void shouldAnswerCompletedWhenSameTokenClaimsAfterCompleting() {
        ClaimKey key = key("E1");
        store().claim(key, first, null, LEASE);
        store().complete(key, first, RETENTION);

        ClaimResult result = store().claim(key, first, null, LEASE);

        assertThat(result.status()).isEqualTo(Status.COMPLETED);
        assertThat(result.owner()).isEqualTo(first.value());
    }

    @Test
    void shouldExtendLeaseWhenOwnerRenews() {
        ClaimKey key = key("E1");
        store().claim(key, first, "fp", shortTtl());

        assertThat(store().renew(key, first, LEASE)).isTrue();

        assertThat(store().inspect(key)).extracting(ClaimSnapshot::state, ClaimSnapshot::owner,
                ClaimSnapshot::attempts, ClaimSnapshot::fingerprint)
                .containsExactly(ClaimState.IN_PROGRESS, first.value(), 1, "fp");
        assertThat(store().inspect(key).timeLeft()).isGreaterThan(shortTtl());
        assertExpiresWithin(key, LEASE);
        assertThat(storedTimeLeftMillis(key)).isGreaterThan(shortTtl().toMillis());
    }

    @Test
    void shouldRefuseRenewWhenAnotherTokenOwnsClaim() {
        ClaimKey key = key("E1");
        store().claim(key, first, null, LEASE);

        assertThat(store().renew(key, second, RETENTION)).isFalse();

        assertThat(store().inspect(key).owner()).isEqualTo(first.value());
        assertExpiresWithin(key, LEASE);
    }

    @Test
    void shouldRefuseRenewWhenClaimIsAbsentReleasedOrCompleted() {
        ClaimKey absent = key("E-absent");
        ClaimKey released = inState(ClaimState.RELEASED, "E-released");
        ClaimKey completed = inState(ClaimState.COMPLETED, "E-completed");

        assertThat(store().renew(absent, first, LEASE)).isFalse();
        assertThat(store().renew(released, first, LEASE)).isFalse();
        assertThat(store().renew(completed, first, LEASE)).isFalse();

        assertThat(store().inspect(absent)).isEqualTo(ClaimSnapshot.ABSENT);
        assertThat(storedTimeLeftMillis(absent)).isEqualTo(-2);
        assertThat(store().inspect(released).state()).isEqualTo(ClaimState.RELEASED);
        assertThat(store().inspect(completed).state()).isEqualTo(ClaimState.COMPLETED);
        assertThat(store().inspect(completed).timeLeft()).isGreaterThan(LEASE);
    }

    @Test
    void shouldCompleteWhenOwnerCompletes() {
        ClaimKey key = key("E1");
        store().claim(key, first, "fp", LEASE);
        Instant before = completionClock().instant().truncatedTo(ChronoUnit.MILLIS).minus(clockTolerance());

        assertThat(store().complete(key, first, RETENTION)).isTrue();

        Instant after = completionClock().instant().plus(clockTolerance());
        ClaimSnapshot snapshot = store().inspect(key);
        assertThat(snapshot).extracting(ClaimSnapshot::state, ClaimSnapshot::owner, ClaimSnapshot::attempts,
                ClaimSnapshot::fingerprint).containsExactly(ClaimState.COMPLETED, first.value(), 1, "fp");
        assertThat(snapshot.completedAt()).isBetween(before, after);
        assertThat(snapshot.timeLeft()).isGreaterThan(LEASE);
        assertExpiresWithin(key, RETENTION);
    }

    @Test
    void shouldAnswerDoneAgainWhenSameTokenCompletesTwice() {
        ClaimKey key = key("E1");
        store().claim(key, first, null, LEASE);
        store().complete(key, first, RETENTION);
        ClaimSnapshot completed = store().inspect(key);

        assertThat(store().complete(key, first, RETENTION)).isTrue();

        assertThat(store().inspect(key)).usingRecursiveComparison().ignoringFields("timeLeft").isEqualTo(completed);
    }

    @Test
    void shouldRefuseCompleteWhenAnotherTokenOwnsClaim() {
        ClaimKey key = key("E1");
        store().claim(key, first, null, LEASE);

        assertThat(store().complete(key, second, RETENTION)).isFalse();

        assertThat(store().inspect(key)).extracting(ClaimSnapshot::state, ClaimSnapshot::owner)
                .containsExactly(ClaimState.IN_PROGRESS, first.value());
        assertExpiresWithin(key, LEASE);
    }

    @Test
    void shouldRefuseCompleteWhenClaimIsAbsentReleasedOrCompletedByAnother() {
        ClaimKey absent = key("E-absent");
        ClaimKey released = inState(ClaimState.RELEASED, "E-released");
        ClaimKey completed = inState(ClaimState.COMPLETED, "E-completed");

        assertThat(store().complete(absent, first, RETENTION)).isFalse();
        assertThat(store().complete(released, first, RETENTION)).isFalse();
        assertThat(store().complete(completed, second, RETENTION)).isFalse();

        assertThat(store().inspect(absent)).isEqualTo(ClaimSnapshot.ABSENT);
        assertThat(store().inspect(released).state()).isEqualTo(ClaimState.RELEASED);
        assertThat(store().inspect(completed).owner()).isEqualTo(first.value());
    }

    @Test
    void shouldReleaseWhenOwnerReleases() {
        ClaimKey key = key("E1");
        store().claim(key, first, "fp", LEASE);

        assertThat(store().release(key, first, RETENTION)).isTrue();

        assertThat(store().inspect(key)).extracting(ClaimSnapshot::state, ClaimSnapshot::owner,
                ClaimSnapshot::attempts, ClaimSnapshot::fingerprint, ClaimSnapshot::completedAt)
                .containsExactly(ClaimState.RELEASED, first.value(), 1, "fp", null);
        assertThat(store().inspect(key).timeLeft()).isGreaterThan(LEASE);
        assertExpiresWithin(key, RETENTION);
    }

    @Test
    void shouldAnswerDoneAgainWhenSameTokenReleasesTwice() {
        ClaimKey key = key("E1");
        store().claim(key, first, null, LEASE);
        store().release(key, first, RETENTION);

        assertThat(store().release(key, first, RETENTION)).isTrue();

        assertThat(store().inspect(key)).extracting(ClaimSnapshot::state, ClaimSnapshot::owner,
                ClaimSnapshot::attempts).containsExactly(ClaimState.RELEASED, first.value(), 1);
    }

    @Test
    void shouldRefuseReleaseWhenAnotherTokenOwnsClaim() {
        ClaimKey key = key("E1");
        store().claim(key, first, null, LEASE);

        assertThat(store().release(key, second, RETENTION)).isFalse();

        assertThat(store().inspect(key)).extracting(ClaimSnapshot::state, ClaimSnapshot::owner)
                .containsExactly(ClaimState.IN_PROGRESS, first.value());
        assertExpiresWithin(key, LEASE);
    }

    @Test
    void shouldRefuseReleaseWhenClaimIsAbsentCompletedOrReleasedByAnother() {
        ClaimKey absent = key("E-absent");
        ClaimKey completed = inState(ClaimState.COMPLETED, "E-completed");
        ClaimKey released = inState(ClaimState.RELEASED, "E-released");

        assertThat(store().release(absent, first, RETENTION)).isFalse();
        assertThat(store().release(completed, first, RETENTION)).isFalse();
        assertThat(store().release(released, second, RETENTION)).isFalse();

        assertThat(store().inspect(absent)).isEqualTo(ClaimSnapshot.ABSENT);
        assertThat(store().inspect(completed).state()).isEqualTo(ClaimState.COMPLETED);
        assertThat(store().inspect(released).owner()).isEqualTo(first.value());
    }

    /**
     * Asserts that the key has an expiry no longer than the time to live it was written with.
     *
     * @param key the key
     * @param ttl the lease or retention of the last write
     */
    protected void assertExpiresWithin(ClaimKey key, Duration ttl) {
        assertThat(storedTimeLeftMillis(key)).as("time left on %s", key).isPositive()
                .isLessThanOrEqualTo(ttl.toMillis());
    }

    /**
     * Writes a claim of the first token and moves it to a state.
     *
     * @param state   {@code COMPLETED} or {@code RELEASED}
     * @param eventId the event id
     * @return the key
     */
    protected ClaimKey inState(ClaimState state, String eventId) {
        ClaimKey key = key(eventId);
        store().claim(key, first, null, LEASE);
        boolean done = state == ClaimState.COMPLETED
                ? store().complete(key, first, RETENTION)
                : store().release(key, first, RETENTION);
        assertThat(done).isTrue();
        assertExpiresWithin(key, RETENTION);
        return key;
    }
}
