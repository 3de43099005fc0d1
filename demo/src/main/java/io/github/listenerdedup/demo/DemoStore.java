package io.github.listenerdedup.demo;

import io.github.listenerdedup.core.ClaimStore;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.store.memory.InMemoryClaimStore;
import java.util.Collection;

/**
 * The claim store of one run, counting held deliveries, with what it takes to close it. Claims the run wrote to a
 * shared Redis are removed at the end, so runs leave nothing behind.
 */
public final class DemoStore implements AutoCloseable {

    private final HeldDeliveryCounter store;
    private final String description;
    private final AutoCloseable resources;
    private final boolean shared;

    private DemoStore(ClaimStore store, String description, AutoCloseable resources, boolean shared) {
        this.store = new HeldDeliveryCounter(store);
        this.description = description;
        this.resources = resources;
        this.shared = shared;
    }

    /**
     * Opens the store the options name.
     *
     * @param options the options
     * @return the store
     * @throws DemoSetupException when Redis does not answer
     */
    public static DemoStore open(DemoOptions options) throws DemoSetupException {
        if (options.store() == StoreKind.REDIS) {
            return RedisStoreOpener.open(options.redisUri());
        }
        return new DemoStore(new InMemoryClaimStore(), "in memory", () -> { }, false);
    }

    static DemoStore shared(ClaimStore store, String description, AutoCloseable resources) {
        return new DemoStore(store, description, resources, true);
    }

    /** @return the store, counting held deliveries */
    public HeldDeliveryCounter store() {
        return store;
    }

    /** @return one line that says where claims live */
    public String describe() {
        return description;
    }

    /**
     * Removes the run's claims when the store is shared with others; an in-memory store goes away by itself.
     *
     * @param settings the run's settings, which name the keys
     * @param eventIds the run's events
     * @return how many claims were removed
     */
    public int removeClaims(DedupSettings settings, Collection<String> eventIds) {
        if (!shared) {
            return 0;
        }
        int removed = 0;
        for (String eventId : eventIds) {
            if (store.forget(settings.keyFor(eventId))) {
                removed++;
            }
        }
        return removed;
    }

    @Override
    public void close() throws Exception {
        resources.close();
    }
}
