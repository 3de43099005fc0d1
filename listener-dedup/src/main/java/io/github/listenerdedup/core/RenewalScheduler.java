package io.github.listenerdedup.core;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two daemon threads that renew the leases of every deduplicator in this JVM. Shared, so that a deduplicator
 * made per listener container, and never closed, costs no thread of its own.
 */
final class RenewalScheduler {

    static final ScheduledThreadPoolExecutor SHARED = create();

    private static final int THREADS = 2;

    private RenewalScheduler() {
    }

    private static ScheduledThreadPoolExecutor create() {
        AtomicInteger count = new AtomicInteger();
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(THREADS, runnable -> {
            Thread thread = new Thread(runnable, "dedup-lease-renewal-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }
}
