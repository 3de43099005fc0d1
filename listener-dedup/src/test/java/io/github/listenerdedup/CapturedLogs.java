package io.github.listenerdedup;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Captures what one logger writes while an action runs, as lines of {@code LEVEL logger - message}.
 */
public final class CapturedLogs {

    private CapturedLogs() {
    }

    /**
     * Runs an action and returns what the logger of a class wrote meanwhile.
     *
     * @param source the class whose logger to capture
     * @param action the action
     * @return one line per event
     */
    public static String during(Class<?> source, Runnable action) {
        return during(source.getName(), action);
    }

    /**
     * Runs an action and returns what a logger, and the loggers below it, wrote meanwhile.
     *
     * @param loggerName the logger to capture, for example {@code io.github.listenerdedup} for every line of the
     *                   library
     * @param action     the action
     * @return one line per event
     */
    public static String during(String loggerName, Runnable action) {
        Logger logger = (Logger) LoggerFactory.getLogger(loggerName);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            action.run();
        } finally {
            logger.detachAppender(appender);
        }
        return appender.list.stream()
                .map(event -> event.getLevel() + " " + event.getLoggerName() + " - " + event.getFormattedMessage())
                .collect(Collectors.joining("\n"));
    }
}
