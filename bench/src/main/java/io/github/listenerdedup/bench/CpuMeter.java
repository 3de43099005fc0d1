package io.github.listenerdedup.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The CPU time spent while a benchmark measures, over the wall-clock time it measured, so that a run shows what
 * kept the cores busy: the whole JVM, the benchmark threads, Lettuce's threads, and the Redis server when there is
 * one. Each figure is the number of cores kept busy on average.
 */
final class CpuMeter {

    private static final String WORKER_THREADS = "-jmh-worker-";
    private static final String LETTUCE_THREADS = "lettuce-";

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean process =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final LongSupplier serverCpuNanos;
    private Sample started;
    private Sample measured = new Sample(0, 0, 0, 0, 0);

    /**
     * Creates a meter.
     *
     * @param serverCpuNanos the CPU time the server has used so far, in nanoseconds, or {@code null} without one
     */
    CpuMeter(LongSupplier serverCpuNanos) {
        this.serverCpuNanos = serverCpuNanos;
    }

    /** Starts a measured span. */
    void start() {
        started = sample();
    }

    /** Ends a measured span and adds it to the total. */
    void stop() {
        if (started != null) {
            measured = measured.plus(sample().minus(started));
            started = null;
        }
    }

    /** @return one line, {@code cpu-busy jvm=… workers=… lettuce=… redis=…}, in cores; {@code redis=-} without */
    String report() {
        double wall = Math.max(1, measured.wall());
        String server = serverCpuNanos == null ? "-" : cores(measured.server(), wall);
        return String.format(Locale.ROOT, "cpu-busy jvm=%s workers=%s lettuce=%s redis=%s",
                cores(measured.jvm(), wall), cores(measured.workers(), wall), cores(measured.lettuce(), wall), server);
    }

    private Sample sample() {
        return new Sample(System.nanoTime(), process.getProcessCpuTime(), threadCpu(WORKER_THREADS),
                threadCpu(LETTUCE_THREADS), serverCpuNanos == null ? 0 : serverCpuNanos.getAsLong());
    }

    private long threadCpu(String namePart) {
        long sum = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains(namePart)) {
                sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return sum;
    }

    private static String cores(long cpuNanos, double wallNanos) {
        return String.format(Locale.ROOT, "%.2f", cpuNanos / wallNanos);
    }

    /** CPU and wall-clock times at one moment, or over a span, in nanoseconds. */
    private record Sample(long wall, long jvm, long workers, long lettuce, long server) {

        Sample plus(Sample other) {
            return new Sample(wall + other.wall, jvm + other.jvm, workers + other.workers,
                    lettuce + other.lettuce, server + other.server);
        }

        Sample minus(Sample other) {
            return new Sample(wall - other.wall, jvm - other.jvm, workers - other.workers,
                    lettuce - other.lettuce, server - other.server);
        }
    }
}
