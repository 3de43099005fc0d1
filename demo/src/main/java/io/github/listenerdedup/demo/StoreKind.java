package io.github.listenerdedup.demo;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where the demo keeps its claims.
 */
public enum StoreKind {

    /** In this JVM's memory: nothing to install. */
    MEMORY("memory"),

    /** In a Redis server already running. */
    REDIS("redis");

    private final String optionValue;

    StoreKind(String optionValue) {
        this.optionValue = optionValue;
    }

    /** @return the value that names this store on the command line */
    public String optionValue() {
        return optionValue;
    }

    /**
     * Finds the store a command-line value names.
     *
     * @param value the value, for example {@code redis}
     * @return the store, or empty when the value names none
     */
    public static Optional<StoreKind> fromOptionValue(String value) {
        return Arrays.stream(values()).filter(kind -> kind.optionValue.equals(value)).findFirst();
    }

    /** @return every option value, separated by {@code |} */
    public static String choices() {
        return Arrays.stream(values()).map(StoreKind::optionValue).collect(Collectors.joining("|"));
    }
}
