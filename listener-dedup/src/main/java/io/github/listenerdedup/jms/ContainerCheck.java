package io.github.listenerdedup.jms;

import io.github.listenerdedup.core.DedupSettings;
import jakarta.jms.Destination;
import jakarta.jms.Session;
import org.slf4j.Logger;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

/**
 * Checks at start-up that a container's settings let every decision of the deduplicator be carried out. Each
 * refusal names the setting, the rule and the value; settings that work but deserve attention earn a WARN.
 *
 * <p>It has no logger of its own: it is only ever run by {@link JmsDeduplication}, and writes under the
 * installer's logger, so that one category holds all that an installation says at start-up and the lines name the
 * entry point the user called. The plain {@link DeduplicatingSessionListener} writes its own start-up lines under
 * its logger, for the same reason.
 *
 * <p>Supported: transacted sessions (the container commits or rolls back), and {@code CLIENT_ACKNOWLEDGE} or
 * ActiveMQ's {@code INDIVIDUAL_ACKNOWLEDGE} with {@code acknowledgeAfterListener=true} (the container acknowledges
 * after the listener returned and calls {@code recover()} after it threw). Refused: {@code AUTO_ACKNOWLEDGE} and
 * {@code DUPS_OK_ACKNOWLEDGE}, in which this container acknowledges before the listener runs.
 */
final class ContainerCheck {

    /** ActiveMQ's vendor mode that acknowledges one message at a time; Spring treats it as client acknowledge. */
    private static final int INDIVIDUAL_ACKNOWLEDGE = SessionAcknowledgement.INDIVIDUAL_ACKNOWLEDGE;

    private ContainerCheck() {
    }

    /**
     * Refuses a container whose sessions cannot retry a released claim or settle a rejected delivery.
     *
     * @param container the container
     * @throws IllegalStateException naming the setting, the rule and the value
     */
    static void requireSupportedSession(DefaultMessageListenerContainer container) {
        String where = describe(container);
        if (container.isSessionTransacted()) {
            requireExposedSession(container, where);
            return;
        }
        int mode = container.getSessionAcknowledgeMode();
        switch (mode) {
            case Session.AUTO_ACKNOWLEDGE, Session.DUPS_OK_ACKNOWLEDGE -> throw new IllegalStateException(
                    "sessionTransacted=false with sessionAcknowledgeMode=" + modeName(mode) + " is refused for "
                    + "deduplication on " + where + ": this container acknowledges each message before the listener "
                    + "runs, so a delivery whose claim was released could never be retried; set "
                    + "sessionTransacted=true, or sessionAcknowledgeMode=CLIENT_ACKNOWLEDGE");
            case Session.CLIENT_ACKNOWLEDGE, INDIVIDUAL_ACKNOWLEDGE -> requireAcknowledgeAfterListener(container,
                    mode, where);
            default -> throw new IllegalStateException("sessionAcknowledgeMode=" + mode + " is not supported for "
                    + "deduplication on " + where + ": only transacted sessions, CLIENT_ACKNOWLEDGE and ActiveMQ's "
                    + "INDIVIDUAL_ACKNOWLEDGE (4) are; set sessionTransacted=true");
        }
    }

    /**
     * Warns about settings that work but may surprise: an id property that message selectors cannot name, and
     * ActiveMQ's own duplicate check on a failover connection.
     *
     * @param log          the installer's logger
     * @param container    the container
     * @param settings     the deduplicator's settings
     * @param idFromHeader whether the id is read from the header name rather than by a resolver
     */
    static void warnAboutSettings(Logger log, DefaultMessageListenerContainer container, DedupSettings settings,
            boolean idFromHeader) {
        String where = describe(container);
        if (idFromHeader) {
            PropertyNames.warnIfNotSelectorIdentifier(log, settings.headerName(), settings.group(), where);
        }
        if (ActiveMqClient.PRESENT) {
            ActiveMqDuplicateCheck.warnIfCheckingOverFailover(log, container.getConnectionFactory(), where);
        }
    }

    /**
     * Names a container's destination, set as a {@link Destination} or as a name.
     *
     * @param container the container
     * @return for example {@code queue 'orders'}
     */
    static String describe(DefaultMessageListenerContainer container) {
        Destination destination = container.getDestination();
        if (destination != null) {
            return JmsText.describe(destination);
        }
        String name = container.getDestinationName();
        if (name == null) {
            return "a container without a destination";
        }
        return (container.isPubSubDomain() ? "topic '" : "queue '") + name + "'";
    }

    /**
     * Names an acknowledge mode as the JMS constants do.
     *
     * @param mode the mode
     * @return for example {@code CLIENT_ACKNOWLEDGE}
     */
    static String modeName(int mode) {
        return switch (mode) {
            case Session.AUTO_ACKNOWLEDGE -> "AUTO_ACKNOWLEDGE";
            case Session.CLIENT_ACKNOWLEDGE -> "CLIENT_ACKNOWLEDGE";
            case Session.DUPS_OK_ACKNOWLEDGE -> "DUPS_OK_ACKNOWLEDGE";
            case INDIVIDUAL_ACKNOWLEDGE -> "INDIVIDUAL_ACKNOWLEDGE (4)";
            default -> String.valueOf(mode);
        };
    }

    private static void requireExposedSession(DefaultMessageListenerContainer container, String where) {
        if (!container.isExposeListenerSession()) {
            throw new IllegalStateException("exposeListenerSession=false is refused for deduplication on " + where
                    + ": the dead-letter copy of a rejected delivery would be sent in another session than the one "
                    + "that consumes it, and committed apart from it; set exposeListenerSession=true");
        }
    }

    private static void requireAcknowledgeAfterListener(DefaultMessageListenerContainer container, int mode,
            String where) {
        if (!container.isAcknowledgeAfterListener()) {
            throw new IllegalStateException("acknowledgeAfterListener=false with sessionAcknowledgeMode="
                    + modeName(mode) + " is refused for deduplication on " + where + ": a duplicate never reaches "
                    + "the listener, so nothing would acknowledge it; set acknowledgeAfterListener=true");
        }
    }
}
