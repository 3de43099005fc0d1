package io.github.listenerdedup.bench;

import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.ClaimResult;
import io.github.listenerdedup.core.ClaimStore;
import io.github.listenerdedup.core.OwnerToken;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * The store calls of one first delivery, counted per second: a claim of a fresh id with a new token, then its
 * completion. A delivery's handler and broker are left out, so the figure bounds what consumers on the same
 * machine can get from the store.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ClaimThenCompleteBenchmark {

    /**
     * Claims a fresh id and completes it.
     *
     * @param open the store
     * @param keys the thread's fresh keys
     * @return whether the completion was recorded, always {@code true}
     * @throws IllegalStateException when the store answers what it should not for a fresh id
     */
    @Benchmark
    public boolean claimThenComplete(OpenStore open, FreshKeys keys) {
        ClaimStore store = open.claims();
        ClaimKey key = keys.next();
        OwnerToken token = OwnerToken.random();
        ClaimResult claimed = store.claim(key, token, null, OpenStore.LEASE);
        if (claimed.status() != ClaimResult.Status.ACQUIRED) {
            throw new IllegalStateException("A fresh key " + key + " answered " + claimed);
        }
        if (!store.complete(key, token, open.expiry())) {
            throw new IllegalStateException("The claim of " + key + " was lost before completion");
        }
        return true;
    }
}
