package io.github.listenerdedup.demo;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The broker the demo publishes to and consumes from.
 */
public enum BrokerKind {

    /** An ActiveMQ Classic broker started inside the demo's JVM: nothing to install. */
    EMBEDDED_ACTIVEMQ("embedded-activemq", null),

    /** An ActiveMQ Classic broker already running, reached over OpenWire. */
    ACTIVEMQ("activemq", "tcp://127.0.0.1:61616"),

    /** A RabbitMQ broker already running, reached over AMQP 0-9-1. */
    RABBITMQ("rabbitmq", "amqp://guest:guest@127.0.0.1:5672");

    private final String optionValue;
    private final String defaultUrl;

    BrokerKind(String optionValue, String defaultUrl) {
        this.optionValue = optionValue;
        this.defaultUrl = defaultUrl;
    }

    /** @return the value that names this broker on the command line */
    public String optionValue() {
        return optionValue;
    }

    /** @return the URL used when none is given, or {@code null} for the embedded broker, which needs none */
    public String defaultUrl() {
        return defaultUrl;
    }

    /**
     * Finds the broker a command-line value names.
     *
     * @param value the value, for example {@code rabbitmq}
     * @return the broker, or empty when the value names none
     */
    public static Optional<BrokerKind> fromOptionValue(String value) {
        return Arrays.stream(values()).filter(kind -> kind.optionValue.equals(value)).findFirst();
    }

    /** @return every option value, separated by {@code |} */
    public static String choices() {
        return Arrays.stream(values()).map(BrokerKind::optionValue).collect(Collectors.joining("|"));
    }
}
