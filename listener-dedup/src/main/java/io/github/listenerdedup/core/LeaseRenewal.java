package io.github.listenerdedup.core;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews one claim's lease every third of the lease while its handler runs, and notices when the claim is lost.
 * A handler shorter than a third of the lease costs no store call.
 */
final class LeaseRenewal implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseRenewal.class);

    private final ClaimStore store;
    private final ClaimKey key;
    private final OwnerToken token;
    private final Duration lease;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicBoolean lost = new AtomicBoolean();
    private final ScheduledFuture<?> task;
    private final Set<LeaseRenewal> running;

    LeaseRenewal(ScheduledExecutorService scheduler, ClaimStore store, ClaimKey key, OwnerToken token,
            Duration lease, Set<LeaseRenewal> running) {
        this.running = running;
        this.store = store;
        this.key = key;
        this.token = token;
        this.lease = lease;
        long period = Math.max(1, lease.toMillis() / 3);
        this.task = scheduler.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
        running.add(this);
    }

    /** @return whether a renewal found the claim owned by another delivery */
    boolean lost() {
        return lost.get();
    }

    @Override
    public void close() {
        finished.set(true);
        task.cancel(false);
        running.remove(this);
    }

    private void renew() {
        if (finished.get()) {
            return;
        }
        try {
            boolean owned = store.renew(key, token, lease);
            if (!owned && !finished.get() && lost.compareAndSet(false, true)) {
                log.warn("Lost the lease of {} while its handler runs: another delivery may run it too", key);
                task.cancel(false);
            }
        } catch (StoreUnavailableException e) {
            log.warn("Could not renew the lease of {}: {}; trying again in a third of the lease", key,
                    e.getMessage());
        } catch (RuntimeException e) {
            log.warn("Could not renew the lease of {}", key, e);
        }
    }
}
