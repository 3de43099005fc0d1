package io.github.listenerdedup.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.ClaimResult;
import io.github.listenerdedup.core.ClaimResult.Status;
import io.github.listenerdedup.core.ClaimSnapshot;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.ClaimStore;
import io.github.listenerdedup.core.OwnerToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The behaviour every {@link ClaimStore} shares, as its Javadoc and the design's claim
 * protocol state it. A store's test extends this class and supplies the store, keys of its own, a way to let a
 * short time to live run out, and a look at the expiry the store set on a key. {@link ClaimTransitionsContract}
 * covers each operation from every state; this class adds attempts, discard, expiry, operators' calls and ids, and
 * ends with a concurrent claim run.
 *
 * <p>Tests write with {@link #LEASE} and {@link #RETENTION}, long enough never to run out during a test, or with
 * {@link #shortTtl()} when a test waits for expiry through {@link #letShortTtlRunOut(ClaimKey)}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class ClaimStoreContract extends ClaimBatchContract {

    private static final int RACE_THREADS = 8;
    private static final int RACE_IDS = 40;

    @Test
    void shouldCountAttemptsWhenReleasedClaimIsClaimedAgain() {
        ClaimKey key = key("E1");
        OwnerToken third = OwnerToken.random();
        store().claim(key, first, "fp-1", LEASE);
        store().release(key, first, RETENTION);

        ClaimResult secondAttempt = store().claim(key, second, "fp-2", LEASE);
        store().release(key, second, RETENTION);
        ClaimResult thirdAttempt = store().claim(key, third, "fp-3", LEASE);

        assertThat(secondAttempt).extracting(ClaimResult::status, ClaimResult::owner, ClaimResult::attempt)
                .containsExactly(Status.ACQUIRED, second.value(), 2);
        assertThat(thirdAttempt).extracting(ClaimResult::status, ClaimResult::owner, ClaimResult::attempt)
                .containsExactly(Status.ACQUIRED, third.value(), 3);
        assertThat(store().inspect(key)).extracting(ClaimSnapshot::state, ClaimSnapshot::owner,
                ClaimSnapshot::attempts, ClaimSnapshot::fingerprint)
                .containsExactly(ClaimState.IN_PROGRESS, third.value(), 3, "fp-3");
        assertExpiresWithin(key, LEASE);
    }

    @Test
    void shouldCountNextAttemptWhenSameTokenClaimsAfterReleasing() {
        ClaimKey key = key("E1");
        store().claim(key, first, null, LEASE);
        store().release(key, first, RETENTION);

        ClaimResult result = store().claim(key, first, null, LEASE);

        assertThat(result).extracting(ClaimResult::status, ClaimResult::attempt).containsExactly(Status.ACQUIRED, 2);
    }

    @Test
    void shouldDeleteWhenOwnerDiscardsInProgressOrReleasedClaim() {
        ClaimKey inProgress = key("E-in-progress");
        store().claim(inProgress, first, null, LEASE);
        ClaimKey released = inState(ClaimState.RELEASED, "E-released");

        assertThat(store().discard(inProgress, first)).isTrue();
        assertThat(store().discard(released, first)).isTrue();

        assertThat(store().inspect(inProgress)).isEqualTo(ClaimSnapshot.ABSENT);
        assertThat(store().inspect(released)).isEqualTo(ClaimSnapshot.ABSENT);
        assertThat(store().claim(released, second, null, LEASE).attempt()).isEqualTo(1);
    }

    @Test
    void shouldAnswerDoneWhenDiscardFindsNoClaim() {
        ClaimKey key = key("E1");
        store().claim(key, first, null, LEASE);
        store().discard(key, first);

        assertThat(store().discard(key, first)).isTrue();
        assertThat(store().discard(key("E-never-written"), second)).isTrue();
    }

    @Test
    void shouldRefuseDiscardWhenAnotherTokenOwnsClaimOrItIsCompleted() {
        ClaimKey inProgress = key("E-in-progress");
        store().claim(inProgress, first, null, LEASE);
        ClaimKey released = inState(ClaimState.RELEASED, "E-released");
        ClaimKey completed = inState(ClaimState.COMPLETED, "E-completed");

        assertThat(store().discard(inProgress, second)).isFalse();
        assertThat(store().discard(released, second)).isFalse();
        assertThat(store().discard(completed, first)).isFalse();

        assertThat(store().inspect(inProgress).state()).isEqualTo(ClaimState.IN_PROGRESS);
        assertThat(store().inspect(released).state()).isEqualTo(ClaimState.RELEASED);
        assertThat(store().inspect(completed).state()).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldLetAnotherTokenAcquireWhenLeaseRunsOut() {
        ClaimKey key = key("E1");
        store().claim(key, first, null, shortTtl());

        letShortTtlRunOut(key);

        assertThat(store().inspect(key)).isEqualTo(ClaimSnapshot.ABSENT);
        ClaimResult result = store().claim(key, second, null, LEASE);
        assertThat(result).extracting(ClaimResult::status, ClaimResult::owner, ClaimResult::attempt)
                .containsExactly(Status.ACQUIRED, second.value(), 1);
    }

    @Test
    void shouldNeverChangeClaimWhenTokenLostItToExpiry() {
        ClaimKey key = key("E1");
        store().claim(key, first, null, shortTtl());
        letShortTtlRunOut(key);
        store().claim(key, second, null, LEASE);

        assertThat(store().renew(key, first, RETENTION)).isFalse();
        assertThat(store().complete(key, first, RETENTION)).isFalse();
        assertThat(store().release(key, first, RETENTION)).isFalse();
        assertThat(store().discard(key, first)).isFalse();
        assertThat(store().claim(key, first, null, LEASE).status()).isEqualTo(Status.IN_PROGRESS);

        assertThat(store().inspect(key)).extracting(ClaimSnapshot::state, ClaimSnapshot::owner)
                .containsExactly(ClaimState.IN_PROGRESS, second.value());
        assertExpiresWithin(key, LEASE);
    }

    @Test
    void shouldStartAttemptsAfreshWhenReleasedClaimRunsOut() {
        ClaimKey key = key("E1");
        store().claim(key, first, null, LEASE);
        store().release(key, first, shortTtl());

        letShortTtlRunOut(key);

        assertThat(store().inspect(key)).isEqualTo(ClaimSnapshot.ABSENT);
        assertThat(store().claim(key, second, null, LEASE).attempt()).isEqualTo(1);
    }

    @Test
    void shouldRunHandlerAgainWhenCompletedClaimRunsOut() {
        ClaimKey key = key("E1");
        store().claim(key, first, null, LEASE);
        store().complete(key, first, shortTtl());

        letShortTtlRunOut(key);

        assertThat(store().inspect(key)).isEqualTo(ClaimSnapshot.ABSENT);
        assertThat(store().claim(key, second, null, LEASE))
                .extracting(ClaimResult::status, ClaimResult::attempt).containsExactly(Status.ACQUIRED, 1);
    }

    @Test
    void shouldInspectAbsentWhenKeyWasNeverWritten() {
        assertThat(store().inspect(key("E-never-written"))).isEqualTo(ClaimSnapshot.ABSENT);
    }

    @Test
    void shouldForgetClaimWhoeverOwnsIt() {
        ClaimKey completed = inState(ClaimState.COMPLETED, "E-completed");
        ClaimKey inProgress = key("E-in-progress");
        store().claim(inProgress, first, null, LEASE);

        assertThat(store().forget(completed)).isTrue();
        assertThat(store().forget(inProgress)).isTrue();

        assertThat(store().forget(completed)).isFalse();
        assertThat(store().inspect(completed)).isEqualTo(ClaimSnapshot.ABSENT);
        assertThat(store().complete(inProgress, first, RETENTION)).isFalse();
        assertThat(store().claim(completed, second, null, LEASE).attempt()).isEqualTo(1);
    }

    @Test
    void shouldKeepIdsApartWhenTheyDifferOnlyInCase() {
        store().claim(key("order-1"), first, null, LEASE);

        ClaimResult result = store().claim(key("Order-1"), second, null, LEASE);

        assertThat(result.status()).isEqualTo(Status.ACQUIRED);
        assertThat(store().inspect(key("order-1")).owner()).isEqualTo(first.value());
    }

    @Test
    void shouldKeepEveryIdExactlyWhenItHoldsSeparatorsBracesUnicodeOrControlCharacters() {
        List<String> ids = List.of("a:b:c", "a:b", "{slot}", "{slot}:1", "|1|C|", "\u00fcn\u00efc\u00f6de-\u2713",
                "emoji-\ud83d\ude00", "tab\tnewline\ncr\r", "nul\u0000esc\u001b", " padded ", "E1", "e1", "E1 ",
                "x".repeat(2_000));
        List<OwnerToken> tokens = ids.stream().map(id -> OwnerToken.random()).toList();

        for (int i = 0; i < ids.size(); i++) {
            assertThat(store().claim(key(ids.get(i)), tokens.get(i), null, LEASE).status())
                    .as("claim of id %d", i).isEqualTo(Status.ACQUIRED);
        }

        for (int i = 0; i < ids.size(); i++) {
            assertThat(store().inspect(key(ids.get(i))).owner()).as("owner of id %d", i)
                    .isEqualTo(tokens.get(i).value());
        }
    }

    @Test
    void shouldKeepFingerprintExactlyWhenItHoldsSeparatorsAndUnicode() {
        ClaimKey key = key("E1");
        String fingerprint = "1|C|x|\u00e9\u2713\ud83d\ude00|";
        store().claim(key, first, fingerprint, LEASE);
        store().complete(key, first, RETENTION);

        ClaimResult result = store().claim(key, second, "", LEASE);

        assertThat(result.fingerprint()).isEqualTo(fingerprint);
        assertThat(store().inspect(key).fingerprint()).isEqualTo(fingerprint);
    }

    @Test
    void shouldTellEmptyFingerprintFromNone() {
        ClaimKey empty = key("E-empty");
        store().claim(empty, first, "", LEASE);
        ClaimKey none = key("E-none");
        store().claim(none, first, null, LEASE);

        assertThat(store().inspect(empty).fingerprint()).isEmpty();
        assertThat(store().inspect(none).fingerprint()).isNull();
    }

    @Test
    void shouldKeepPayloadFingerprintWhenClaimIsRenewedCompletedAndFoundAgain() throws Exception {
        ClaimKey key = key("E1");
        String fingerprint = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest("{\"orderId\":\"o-1\"}".getBytes(StandardCharsets.UTF_8)));
        store().claim(key, first, fingerprint, LEASE);
        store().renew(key, first, LEASE);
        store().complete(key, first, RETENTION);

        ClaimResult duplicate = store().claim(key, second, "another-payload", LEASE);

        assertThat(duplicate).extracting(ClaimResult::status, ClaimResult::fingerprint)
                .containsExactly(Status.COMPLETED, fingerprint);
        assertThat(store().inspect(key).fingerprint()).hasSize(43).isEqualTo(fingerprint);
    }

    @Test
    void shouldLeaveEveryKeyWithAnExpiryWhicheverOperationRanLast() {
        ClaimKey key = key("E1");
        List<Runnable> steps = List.of(
                () -> store().claim(key, first, "fp", LEASE),
                () -> store().claim(key, first, "fp", LEASE),
                () -> store().claim(key, second, null, LEASE),
                () -> store().renew(key, first, LEASE),
                () -> store().renew(key, second, RETENTION),
                () -> store().complete(key, second, RETENTION),
                () -> store().release(key, first, RETENTION),
                () -> store().release(key, first, RETENTION),
                () -> store().renew(key, first, LEASE),
                () -> store().discard(key, second),
                () -> store().claim(key, second, null, LEASE),
                () -> store().complete(key, second, RETENTION),
                () -> store().complete(key, second, RETENTION),
                () -> store().release(key, second, RETENTION),
                () -> store().discard(key, second),
                () -> store().claim(key, first, null, LEASE));

        for (int i = 0; i < steps.size(); i++) {
            steps.get(i).run();

            assertThat(storedTimeLeftMillis(key)).as("time left after step %d", i).isPositive()
                    .isLessThanOrEqualTo(RETENTION.toMillis());
        }
        assertThat(store().inspect(key)).extracting(ClaimSnapshot::state, ClaimSnapshot::owner)
                .containsExactly(ClaimState.COMPLETED, second.value());
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void shouldAcquireEachIdOnceWhenManyThreadsClaimAtOnce() throws Exception {
        List<ClaimKey> keys = IntStream.range(0, RACE_IDS).mapToObj(i -> key("race-" + i)).toList();

        ConcurrentClaimRun run = ConcurrentClaimRun.start(store(), keys, RACE_THREADS, LEASE, RETENTION);

        assertThat(run.winners()).as("tokens that acquired each id").hasSize(RACE_IDS)
                .allSatisfy((key, winners) -> assertThat(winners).as("winners of %s", key).hasSize(1));
        assertThat(run.foreignOwnersSeen()).as("owners seen that never acquired").isEmpty();
        for (ClaimKey key : keys) {
            String winner = run.winners().get(key).get(0);
            ClaimResult late = store().claim(key, OwnerToken.random(), null, LEASE);
            assertThat(late).extracting(ClaimResult::status, ClaimResult::owner)
                    .containsExactly(Status.COMPLETED, winner);
            assertExpiresWithin(key, RETENTION);
        }
    }
}
