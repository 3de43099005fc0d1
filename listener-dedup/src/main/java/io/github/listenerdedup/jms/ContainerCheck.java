package io.github.listenerdedup.jms;

import jakarta.jms.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

/**
 * Checks at start-up that a container's settings let every decision of the deduplicator be carried out, and warns
 * about a header name that JMS selectors cannot use. Each refusal names the setting, the rule and the value.
 */
final class ContainerCheck {

    /** ActiveMQ's vendor mode that acknowledges one message at a time; Spring treats it as client acknowledge. */
    static final int INDIVIDUAL_ACKNOWLEDGE = 4;

    private static final Logger log = LoggerFactory.getLogger(JmsDeduplication.class);

    private static final String SET_TRANSACTED = "; set sessionTransacted=true";

    private ContainerCheck() {
    }

    /**
     * Refuses a container whose sessions cannot retry a released claim or commit a dead-letter copy together with
     * the consumption.
     *
     * @param container the container
     * @throws IllegalStateException naming the setting, the rule and the value
     */
    static void requireSupportedSession(DefaultMessageListenerContainer container) {
        String where = JmsText.describe(container);
        if (!container.isSessionTransacted()) {
            throw new IllegalStateException(refusal(container.getSessionAcknowledgeMode(), where));
        }
        if (!container.isExposeListenerSession()) {
            throw new IllegalStateException("exposeListenerSession=false is refused for deduplication on " + where
                    + ": the dead-letter copy of a rejected delivery would be sent in another session than the one "
                    + "that consumes it, and committed apart from it; set exposeListenerSession=true");
        }
    }

    /**
     * Warns when the property that carries the id is not a Java identifier: JMS selectors cannot name it, though
     * ActiveMQ accepts it and STOMP producers send it.
     *
     * @param headerName the property name
     * @param group      the consumer group, for the log line
     * @param where      the container's destination, for the log line
     */
    static void warnIfNotIdentifier(String headerName, String group, String where) {
        if (!isJavaIdentifier(headerName)) {
            log.warn("Event id property '{}' of group '{}' on {} is not a Java identifier: JMS message selectors "
                    + "cannot refer to it, though ActiveMQ accepts it and STOMP producers send it", headerName, group,
                    where);
        }
    }

    static boolean isJavaIdentifier(String name) {
        if (name.isEmpty() || !Character.isJavaIdentifierStart(name.codePointAt(0))) {
            return false;
        }
        return name.codePoints().skip(1).allMatch(Character::isJavaIdentifierPart);
    }

    private static String refusal(int mode, String where) {
        String because = switch (mode) {
            case Session.AUTO_ACKNOWLEDGE, Session.DUPS_OK_ACKNOWLEDGE -> "sessionTransacted=false with "
                    + "sessionAcknowledgeMode=" + modeName(mode) + " is refused for deduplication on " + where
                    + ": this container acknowledges each message before the listener runs, so a delivery whose "
                    + "claim was released could never be retried";
            case Session.CLIENT_ACKNOWLEDGE, INDIVIDUAL_ACKNOWLEDGE -> "sessionAcknowledgeMode=" + modeName(mode)
                    + " is not supported yet for deduplication on " + where + ": without a transacted session the "
                    + "dead-letter copy of a rejected delivery cannot be committed together with its "
                    + "acknowledgement";
            default -> "sessionAcknowledgeMode=" + mode + " is not supported for deduplication on " + where
                    + ": only transacted sessions are";
        };
        return because + SET_TRANSACTED;
    }

    private static String modeName(int mode) {
        return switch (mode) {
            case Session.AUTO_ACKNOWLEDGE -> "AUTO_ACKNOWLEDGE";
            case Session.CLIENT_ACKNOWLEDGE -> "CLIENT_ACKNOWLEDGE";
            case Session.DUPS_OK_ACKNOWLEDGE -> "DUPS_OK_ACKNOWLEDGE";
            case INDIVIDUAL_ACKNOWLEDGE -> "INDIVIDUAL_ACKNOWLEDGE (4)";
            default -> String.valueOf(mode);
        };
    }
}
