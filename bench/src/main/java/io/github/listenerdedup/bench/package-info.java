/**
 * Benchmarks of the claim stores alone, without a broker or a handler, and a measurement of the memory a claim
 * takes in Redis.
 *
 * <p>{@link io.github.listenerdedup.bench.ClaimThenCompleteBenchmark} counts claim plus complete per second, the
 * two store calls every first delivery makes; {@link io.github.listenerdedup.bench.ClaimLatencyBenchmark} samples
 * the time of one claim call; both run on each {@link io.github.listenerdedup.bench.BenchedStore}.
 * {@link io.github.listenerdedup.bench.MemoryFootprint} prints what Redis reports for claims of each state. The
 * script {@code bench/run.sh} builds the benchmarks jar, starts a redis-server of its own, runs them all beside
 * {@code redis-benchmark} and prints one table; {@code docs/performance.md} holds the figures of a run.
 */
package io.github.listenerdedup.bench;
