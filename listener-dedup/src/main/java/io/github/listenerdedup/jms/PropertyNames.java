package io.github.listenerdedup.jms;

import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Checks the JMS property that carries the event id against the rules of message selectors, which only name
 * properties that are Java identifiers and not one of the selector's own words ({@code NULL}, {@code AND}, ...).
 * ActiveMQ accepts other names, and STOMP producers send them, so a name that breaks the rules earns a WARN, not a
 * refusal.
 */
final class PropertyNames {

    private static final Set<String> SELECTOR_WORDS = Set.of("NULL", "TRUE", "FALSE", "NOT", "AND", "OR", "BETWEEN",
            "LIKE", "IN", "IS", "ESCAPE");

    private PropertyNames() {
    }

    /**
     * Warns when a selector cannot name the property.
     *
     * @param log          the installer's logger
     * @param propertyName the property name
     * @param group        the consumer group, for the log line
     * @param where        the destination or session, for the log line
     */
    static void warnIfNotSelectorIdentifier(Logger log, String propertyName, String group, String where) {
        if (!isJavaIdentifier(propertyName)) {
            log.warn("Event id property '{}' of group '{}' on {} is not a Java identifier: JMS message selectors "
                    + "cannot refer to it, though ActiveMQ accepts it and STOMP producers send it", propertyName,
                    group, where);
        } else if (SELECTOR_WORDS.contains(propertyName.toUpperCase(Locale.ROOT))) {
            log.warn("Event id property '{}' of group '{}' on {} is a word of the JMS selector syntax: message "
                    + "selectors cannot refer to it, though ActiveMQ accepts it", propertyName, group, where);
        }
    }

    static boolean isJavaIdentifier(String name) {
        if (name.isEmpty() || !Character.isJavaIdentifierStart(name.codePointAt(0))) {
            return false;
        }
        return name.codePoints().skip(1).allMatch(Character::isJavaIdentifierPart);
    }
}
