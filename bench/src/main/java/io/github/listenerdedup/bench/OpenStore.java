package io.github.listenerdedup.bench;

import io.github.listenerdedup.core.ClaimStore;
import io.github.listenerdedup.core.DedupSettings;
import java.time.Duration;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The store one benchmark trial runs on, shared by all its threads as consumer threads share one store, and a
 * {@link CpuMeter} over its measured iterations, printed when the trial ends.
 *
 * <p>A claim the benchmark is done with expires soon: {@value #DEFAULT_EXPIRY_MILLIS} ms unless the run sets
 * {@code expiryMillis}. So the store reaches, within the warm-up, the steady state of a long-running consumer,
 * where claims expire as fast as they are made, and holds as many claims as were made in that time. A claim still
 * being worked on has the default lease, {@link #LEASE}.
 */
@State(Scope.Benchmark)
public class OpenStore {

    /** How long a claim lives once the benchmark is done with it, unless the run sets {@code expiryMillis}. */
    public static final String DEFAULT_EXPIRY_MILLIS = "2000";

    /** The lease of a claim that a benchmark goes on to complete: the deduplicator's default. */
    public static final Duration LEASE = DedupSettings.DEFAULT_LEASE;

    /** Which store; every kind when the run names none. */
    @Param
    public BenchedStore store;

    /**
     * How long a claim lives once the benchmark is done with it, in milliseconds: the retention of a completed
     * claim, and the lease of a claim left in progress.
     */
    @Param(DEFAULT_EXPIRY_MILLIS)
    public long expiryMillis;

    private ClaimStore claims;
    private Duration expiry;
    private RedisAdmin admin;
    private CpuMeter meter;

    /** Opens the store, and for Redis a second connection that reads the server's CPU time. */
    @Setup(Level.Trial)
    public void open() {
        expiry = Duration.ofMillis(expiryMillis);
        claims = store.open(BenchedStore.redisUri());
        if (store == BenchedStore.REDIS) {
            admin = RedisAdmin.connect(BenchedStore.redisUri());
            meter = new CpuMeter(admin::cpuNanos);
        } else {
            meter = new CpuMeter(null);
        }
    }

    /**
     * Starts the CPU meter before a measured iteration.
     *
     * @param iteration the iteration about to run
     */
    @Setup(Level.Iteration)
    public void startMeter(IterationParams iteration) {
        if (iteration.getType() == IterationType.MEASUREMENT) {
            meter.start();
        }
    }

    /** Stops the CPU meter after an iteration. */
    @TearDown(Level.Iteration)
    public void stopMeter() {
        meter.stop();
    }

    /**
     * Prints the CPU figures and closes what it opened.
     *
     * @throws Exception when closing the store fails
     */
    @TearDown(Level.Trial)
    public void close() throws Exception {
        System.out.println(meter.report());
        if (admin != null) {
            admin.close();
        }
        if (claims instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /** @return the open store */
    public ClaimStore claims() {
        return claims;
    }

    /** @return how long a claim lives once the benchmark is done with it */
    public Duration expiry() {
        return expiry;
    }
}
