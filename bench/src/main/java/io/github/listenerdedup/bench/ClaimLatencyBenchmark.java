package io.github.listenerdedup.bench;

import io.github.listenerdedup.core.ClaimResult;
import io.github.listenerdedup.core.OwnerToken;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * The time one synchronous claim call takes, sampled, so that the run reports its distribution: the call a
 * consumer thread waits on before its handler starts. The claims are left in progress, with a lease as short as
 * the expiry the run sets.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ClaimLatencyBenchmark {

    /**
     * Claims a fresh id.
     *
     * @param open the store
     * @param keys the thread's fresh keys
     * @return the store's answer
     */
    @Benchmark
    public ClaimResult claim(OpenStore open, FreshKeys keys) {
        return open.claims().claim(keys.next(), OwnerToken.random(), null, open.expiry());
    }
}
