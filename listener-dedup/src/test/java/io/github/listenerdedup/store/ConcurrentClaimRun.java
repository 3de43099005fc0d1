package io.github.listenerdedup.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.ClaimResult;
import io.github.listenerdedup.core.ClaimResult.Status;
import io.github.listenerdedup.core.ClaimStore;
import io.github.listenerdedup.core.OwnerToken;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Many threads, released together, each walking every id in its own order as a new delivery with a new token: it
 * claims, and completes when it acquired. Records which tokens acquired each id and which owners the others saw.
 */
final class ConcurrentClaimRun {

    private static final long RUN_TIMEOUT_SECONDS = 120;

    private final ClaimStore store;
    private final Duration lease;
    private final Duration retention;
    private final Map<ClaimKey, List<String>> winners = new ConcurrentHashMap<>();
    private final Map<ClaimKey, Set<String>> ownersSeen = new ConcurrentHashMap<>();

    private ConcurrentClaimRun(ClaimStore store, Duration lease, Duration retention) {
        this.store = store;
        this.lease = lease;
        this.retention = retention;
    }

    /**
     * Runs the threads to the end.
     *
     * @param store     the store
     * @param keys      the ids to race for
     * @param threads   how many threads race
     * @param lease     the lease of each claim
     * @param retention the retention of each completion
     * @return the finished run
     * @throws Exception what a thread threw, an assertion error included
     */
    static ConcurrentClaimRun start(ClaimStore store, List<ClaimKey> keys, int threads, Duration lease,
            Duration retention) throws Exception {
        ConcurrentClaimRun run = new ConcurrentClaimRun(store, lease, retention);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> racers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<ClaimKey> order = new ArrayList<>(keys);
                Collections.shuffle(order, new Random(t));
                racers.add(pool.submit(run.racer(go, order)));
            }
            go.countDown();
            for (Future<Void> racer : racers) {
                racer.get(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return run;
    }

    /** @return the tokens that acquired each id */
    Map<ClaimKey, List<String>> winners() {
        return winners;
    }

    /** @return owners that a losing claim saw but that never acquired the id; empty when all is well */
    Map<ClaimKey, Set<String>> foreignOwnersSeen() {
        Map<ClaimKey, Set<String>> foreign = new ConcurrentHashMap<>();
        ownersSeen.forEach((key, owners) -> owners.stream()
                .filter(owner -> !winners.getOrDefault(key, List.of()).contains(owner))
                .forEach(owner -> foreign.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(owner)));
        return foreign;
    }

    private Callable<Void> racer(CountDownLatch go, List<ClaimKey> order) {
        return () -> {
            go.await();
            for (ClaimKey key : order) {
                deliver(key);
            }
            return null;
        };
    }

    private void deliver(ClaimKey key) {
        OwnerToken token = OwnerToken.random();
        ClaimResult result = store.claim(key, token, null, lease);
        if (result.status() == Status.ACQUIRED) {
            winners.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(token.value());
            assertThat(store.complete(key, token, retention)).as("completion of %s by its winner", key).isTrue();
        } else {
            assertThat(result.owner()).as("owner of %s seen by a loser", key).isNotEqualTo(token.value());
            ownersSeen.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(result.owner());
        }
    }
}
