package io.github.listenerdedup.core;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the store's changes of reachability once each, not once per delivery: ERROR when it becomes unreachable,
 * INFO when it is back.
 */
final class StoreHealth {

    private static final Logger log = LoggerFactory.getLogger(StoreHealth.class);

    private final String group;
    private final AtomicBoolean reachable = new AtomicBoolean(true);

    StoreHealth(String group) {
        this.group = group;
    }

    void succeeded() {
        if (!reachable.get() && reachable.compareAndSet(false, true)) {
            log.info("Claim store is reachable again (group {})", group);
        }
    }

    void failed(StoreUnavailableException e) {
        if (reachable.compareAndSet(true, false)) {
            log.error("Claim store became unreachable (group {}): {}", group, e.getMessage(), e);
        }
    }
}
