package io.github.listenerdedup.jms;

import io.github.listenerdedup.core.DedupSettings;
import org.slf4j.Logger;

/**
 * The INFO line each JMS installer writes once a listener is decorated, under the installer's own logger, so that
 * it names the entry point the user called.
 */
final class InstallationLog {

    private InstallationLog() {
    }

    /**
     * Says what was installed.
     *
     * @param log          the installer's logger
     * @param where        the destination or session, for example {@code queue 'orders'}
     * @param settings     the deduplicator's settings
     * @param idFromHeader whether the id is read from the header name rather than by a resolver
     */
    static void installed(Logger log, String where, DedupSettings settings, boolean idFromHeader) {
        if (idFromHeader) {
            log.info("Deduplicating the listener on {} for group '{}': event id from property '{}'", where,
                    settings.group(), settings.headerName());
        } else {
            log.info("Deduplicating the listener on {} for group '{}': event id from a resolver", where,
                    settings.group());
        }
    }
}
